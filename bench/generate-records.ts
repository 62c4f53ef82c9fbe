import { randomUUID } from 'node:crypto'

const TASK_TYPES = ['refactor', 'bugfix', 'feature', 'test_generation', 'documentation', 'code_review']
const TIERS = ['small', 'medium', 'large']
const POOLS = ['mahavishnu', 'session-buddy', 'local']
const TOPOLOGIES = ['mesh', 'hierarchical', 'star', null]
const REPOS = Array.from({ length: 10 }, (_, i) => `orb/service-${i}`)
const VERBS = [
  'Refactor',
  'Fix',
  'Add',
  'Document',
  'Test',
  'Review',
  'Optimise',
  'Split',
  'Migrate',
  'Rename',
]
const NOUNS = [
  'parser',
  'router',
  'cache',
  'scheduler',
  'auth flow',
  'CLI',
  'exporter',
  'pool',
  'index',
  'queue',
]
const DETAILS = [
  'for clarity',
  'to cut latency',
  'after the outage',
  'with retries',
  'behind a flag',
  'in batches',
]

/** A small deterministic PRNG (mulberry32), so every run writes the same records. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * `count` realistic execution records (plain JSON-like objects, as a caller would send them).
 * Descriptions carry a sequence number, so almost every embedding text is distinct (no cache help).
 */
export function generateRecords(count: number, seed = 42): Record<string, unknown>[] {
  const rnd = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!
  const now = Date.now()
  return Array.from({ length: count }, (_, i) => {
    const tier = Math.floor(rnd() * 3)
    const complexity = Math.min(100, Math.floor(rnd() * 60 + tier * 20))
    const success = rnd() < 0.95 - complexity / 400
    const estimate = 0.002 * (tier + 1) ** 2 * (1 + complexity / 50)
    return {
      task_id: randomUUID(),
      timestamp: new Date(now - Math.floor(rnd() * 90 * 86_400_000) - 60_000).toISOString(),
      task_type: pick(TASK_TYPES),
      task_description: `${pick(VERBS)} the ${pick(NOUNS)} ${pick(DETAILS)} (ticket ${10_000 + i})`,
      repo: pick(REPOS),
      file_count: Math.floor(rnd() * 20),
      estimated_tokens: Math.floor(500 + rnd() * 8000),
      model_tier: TIERS[tier],
      pool_type: pick(POOLS),
      swarm_topology: pick(TOPOLOGIES),
      routing_confidence: Math.round(rnd() * 1000) / 1000,
      complexity_score: complexity,
      success,
      duration_seconds: Math.round((5 + complexity * (1 + rnd()) * (tier + 1)) * 100) / 100,
      quality_score: success ? Math.floor(60 + rnd() * 40) : null,
      cost_estimate: Math.round(estimate * 1e5) / 1e5,
      actual_cost: Math.round(estimate * (0.7 + rnd() * 0.6) * 1e5) / 1e5,
      error_type: success ? null : pick(['timeout', 'test_failure', 'rate_limit', 'syntax_error']),
      error_message: success ? null : `step ${Math.floor(rnd() * 9)} failed`,
      user_accepted: rnd() < 0.3 ? success : null,
      user_rating: rnd() < 0.2 ? 1 + Math.floor(rnd() * 5) : null,
      peak_memory_mb: Math.round(rnd() * 2048),
      cpu_time_seconds: Math.round(rnd() * 600) / 10,
      solution_summary: success ? `${pick(VERBS)}ed the ${pick(NOUNS)}` : null,
      metadata: { agent: pick(['coder', 'tester', 'reviewer']), attempt: 1 + Math.floor(rnd() * 3) },
    }
  })
}
