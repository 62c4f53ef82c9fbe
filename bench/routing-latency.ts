// Recommendation latency at a large table: npm run bench:routing-latency [-- --rows 1000000] [--requests 1000]
//   [--mode cheapest_within_tolerance|max_utility|quality_target]
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { flushDecisions } from '../src/learning/decision-log.js'
import { seededRandom } from '../src/learning/random.js'
import { recommendRoute } from '../src/learning/recommend-route.js'
import type { RoutePolicy } from '../src/learning/route-policy.js'
import { openStore } from '../src/store.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '1000' },
    mode: { type: 'string', default: 'cheapest_within_tolerance' },
  },
})
const policy = { mode: values.mode as RoutePolicy['mode'] }
const rows = Number(values.rows)
const requests = Number(values.requests)
const dir = mkdtempSync(join(tmpdir(), 'orb-routing-latency-'))
const log = (s: string) => process.stderr.write(`${s}\n`)
try {
  const path = join(dir, 'latency.duckdb')
  let store = await openStore({ path })
  const t0 = performance.now()
  // Bulk rows by SQL (no embeddings: the kNN memory only needs the recent ones, recorded below).
  await store.withWriter((c) =>
    c.run(
      `INSERT INTO executions (task_id, timestamp, task_type, task_description, repo, file_count, estimated_tokens,
         model_tier, pool_type, routing_confidence, complexity_score, success, duration_seconds, cost_estimate, actual_cost)
       SELECT uuid(), now()::TIMESTAMP - to_seconds(i * 5), ['bugfix','refactor','feature','docs'][1 + i % 4],
         'task ' || i, 'orb/repo' || (i % 20), 1, 400 + (i % 100) * 40, ['small','medium','large'][1 + (i * 7) % 3],
         ['fast','standard','batch'][1 + (i * 13) % 3], 0.5, i % 100, random() < 0.8, 10 + random() * 50,
         0.001 * (1 + i % 10), 0.001 * (1 + i % 10) * (0.8 + random() * 0.4)
       FROM range(${Math.max(0, Math.floor(rows - 10_000))}) t(i)`,
    ),
  )
  const recent = Array.from({ length: Math.min(rows, 10_000) }, (_, i) => ({
    task_type: ['bugfix', 'refactor', 'feature', 'docs'][i % 4]!,
    task_description: `recent task ${i} about ${['parser', 'cache', 'queue', 'auth', 'docs'][i % 5]}`,
    repo: `orb/repo${i % 20}`,
    estimated_tokens: 1000,
    model_tier: ['small', 'medium', 'large'][i % 3]!,
    pool_type: ['fast', 'standard', 'batch'][i % 3]!,
    routing_confidence: 0.5,
    complexity_score: i % 100,
    success: i % 5 !== 0,
    duration_seconds: 20,
    cost_estimate: 0.01,
    actual_cost: 0.012,
  }))
  for (let i = 0; i < recent.length; i += 2000) await recordExecutions(store, recent.slice(i, i + 2000))
  log(`generated ${rows} executions in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  await store.close()
  store = await openStore({ path })
  const random = seededRandom(1)
  const task = (i: number) => ({
    task_type: ['bugfix', 'refactor', 'feature', 'docs'][i % 4]!,
    task_description: `new task ${i} about the ${['parser', 'cache', 'queue', 'auth', 'docs'][i % 5]}`,
    repo: `orb/repo${i % 20}`,
    complexity_score: (i * 37) % 100,
    estimated_tokens: 1500,
  })
  const l0 = performance.now()
  await recommendRoute(store, task(0), { random, policy })
  const loadMs = performance.now() - l0
  const lat: number[] = []
  for (let i = 1; i <= requests; i++) {
    const s = performance.now()
    await recommendRoute(store, task(i), { random, policy })
    lat.push(performance.now() - s)
  }
  await flushDecisions(store)
  await store.close()
  lat.sort((a, b) => a - b)
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2)
  process.stdout.write(
    `| executions | first call (loads the state) | requests | p50 | p95 | p99 | max |\n|---|---|---|---|---|---|---|\n` +
      `| ${rows.toLocaleString('en')} | ${(loadMs / 1000).toFixed(2)} s | ${requests} | ${q(0.5)} ms | ${q(0.95)} ms | ${q(0.99)} ms | ${lat.at(-1)!.toFixed(2)} ms |\n`,
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
