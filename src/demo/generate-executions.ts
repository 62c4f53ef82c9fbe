import type { ExecutionInput } from '../record.js'
import {
  DEMO_AGENTS,
  DEMO_COMPONENTS,
  DEMO_ERRORS,
  DEMO_POOLS,
  DEMO_REPOS,
  DEMO_TASK_TYPES,
  DEMO_TIERS,
  DEMO_TOPOLOGIES,
  type DemoPool,
  type DemoTier,
} from './demo-vocabulary.js'

/** Options of the demo generator. */
export interface DemoOptions {
  /** Seed of the pseudo-random generator: the same seed and `now` give the same records. Default 42. */
  seed?: number
  /** End of the 90-day window the timestamps fall in. Default: the current time. */
  now?: Date
  /** Days covered, ending at `now`. Default 90. */
  days?: number
}

/** A demo record: a valid execution input marked with `metadata.demo = true`. */
export type DemoExecution = ExecutionInput & { task_id: string; timestamp: Date; metadata: { demo: true } }

const DAY_MS = 86_400_000

/**
 * Yield `count` realistic synthetic executions in time order, deterministically for a seed:
 * tier follows complexity, success falls with complexity on weaker tiers, cost and duration follow tier.
 * @example
 * for (const record of demoExecutions(1_000_000, { seed: 7 })) queue.push(record)
 */
export function* demoExecutions(count: number, options: DemoOptions = {}): Generator<DemoExecution> {
  const random = mulberry32(options.seed ?? 42)
  const now = (options.now ?? new Date()).getTime()
  const span = (options.days ?? 90) * DAY_MS
  const start = now - span
  const step = span / Math.max(count, 1)
  for (let i = 0; i < count; i++) {
    const at = Math.min(start + (i + random()) * step, now - 1000)
    yield demoExecution(random, new Date(Math.floor(at)), (at - start) / span)
  }
}

/** The same records as `demoExecutions`, as an array. */
export function generateDemoExecutions(count: number, options: DemoOptions = {}): DemoExecution[] {
  return Array.from(demoExecutions(count, options))
}

function demoExecution(random: () => number, timestamp: Date, progress: number): DemoExecution {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const normal = (mean: number, sd: number) =>
    mean + sd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const logNormal = (sd: number) => Math.exp(normal(0, sd))

  const type = pick(DEMO_TASK_TYPES)
  const repo = pick(DEMO_REPOS)
  const complexity = clamp(Math.round(normal(type.complexity, 14)), 0, 100)
  const routed = complexity + normal(0, 15)
  const tierName: DemoTier = routed < 40 ? 'small' : routed < 64 ? 'medium' : 'large'
  const tier = DEMO_TIERS[tierName]
  const poolName = pick(Object.keys(DEMO_POOLS) as DemoPool[])
  const pool = DEMO_POOLS[poolName]
  const margin = Math.min(Math.abs(routed - 40), Math.abs(routed - 64))
  const confidence = clamp(round(0.5 + margin / 50 + normal(0, 0.06), 3), 0.05, 0.99)

  // Weaker tiers lose more on complex work; the system gets a little better over the 90 days.
  const pSuccess =
    0.97 - (complexity / 100) * tier.skill * 1.25 - repo.difficulty - pool.penalty + 0.04 * progress
  const success = random() < pSuccess
  const fileCount = Math.max(1, Math.round(complexity / 10 + normal(0, 2)))
  const tokens = Math.max(100, Math.round(complexity * 180 + fileCount * 350 + normal(0, 600)))
  const costEstimate = round((tokens / 1000) * tier.dollarsPer1k, 6)
  const error = success ? undefined : pick(DEMO_ERRORS)
  let duration = (tier.baseSeconds * (0.5 + complexity / 40) + pool.overheadSeconds) * logNormal(0.35)
  if (error?.type === 'timeout') duration = 300 + normal(0, 5)
  else if (!success) duration *= 0.6
  const quality = success
    ? clamp(Math.round(tier.quality - complexity * 0.15 + normal(0, 6)), 0, 100)
    : clamp(Math.round(normal(35, 12)), 0, 100)
  const rated = random() < 0.12
  const description = `${pick(type.verbs)} ${pick(DEMO_COMPONENTS)} in ${repo.name} ${pick(type.goals)}`

  return {
    task_id: uuidFrom(random),
    timestamp,
    task_type: type.name,
    task_description: description,
    repo: repo.name,
    file_count: fileCount,
    estimated_tokens: tokens,
    model_tier: tierName,
    pool_type: poolName,
    swarm_topology: random() < 0.25 ? null : pick(DEMO_TOPOLOGIES),
    routing_confidence: confidence,
    complexity_score: complexity,
    success,
    duration_seconds: round(Math.max(0.1, duration), 2),
    quality_score: random() < 0.1 ? null : quality,
    cost_estimate: costEstimate,
    actual_cost: round(costEstimate * logNormal(0.2) * (success ? 1.05 : 1.3), 6),
    error_type: error?.type ?? null,
    error_message: error ? pick(error.messages) : null,
    user_accepted: random() < 0.2 ? success && quality > 55 : null,
    user_rating: rated ? clamp(Math.round(quality / 22 + normal(0.5, 0.6)), 1, 5) : null,
    peak_memory_mb: round(tier.memoryMb * (0.7 + complexity / 100) * logNormal(0.2), 1),
    cpu_time_seconds: round(duration * (0.3 + random() * 0.5), 2),
    solution_summary: success && random() < 0.8 ? pick(type.solutions) : null,
    metadata: { demo: true, agent: pick(DEMO_AGENTS) },
  }
}

/** A small fast seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function uuidFrom(random: () => number): string {
  let hex = ''
  for (let i = 0; i < 4; i++)
    hex += Math.floor(random() * 4_294_967_296)
      .toString(16)
      .padStart(8, '0')
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

function round(value: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
