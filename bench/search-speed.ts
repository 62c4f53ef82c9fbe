// Search speed: findSimilar through the ANN index vs the reviewed linear scan, on N rows of low-rank
// 384-d vectors (x = W·z + noise, z in R^24, normalised: like real text embeddings).
//   node --import tsx bench/search-speed.ts [ROWS=100000] [f32|i8]
// SEARCH_BENCH_DIR=dir keeps the database and index there and reuses them on the next run (same ROWS);
// QUERIES=n queries per case (default 200), EF=n the search expansion (default: the store's).
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Execution } from '../src/record.js'
import { findSimilarWithPlan } from '../src/search/find-similar.js'
import { getVectorIndex } from '../src/search/index-registry.js'
import type { SimilarQuery } from '../src/search/similar-query.js'
import { openStore } from '../src/store.js'
import { percentile } from './percentile.js'

const ROWS = Number(process.argv[2] ?? 100_000)
const QUANT = (process.argv[3] ?? 'f32') as 'f32' | 'i8'
const DIMS = 384
const RANK = 24
const REPOS = 20
const QUERIES = Number(process.env.QUERIES ?? 200)
// The search-time HNSW expansion (filtered queries use at least their candidate count anyway).
const EF = process.env.EF === undefined ? {} : { indexExpansionSearch: Number(process.env.EF) }

let seed = 42
const rand = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
  return seed / 2 ** 32
}
const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand())
const W = Float32Array.from({ length: DIMS * RANK }, gauss)

function lowRank(out: Float32Array, offset: number, noise = 0.3): void {
  const z = Array.from({ length: RANK }, gauss)
  let norm = 0
  for (let d = 0; d < DIMS; d++) {
    let s = 0
    for (let j = 0; j < RANK; j++) s += W[d * RANK + j]! * z[j]!
    s += gauss() * noise * Math.sqrt(RANK)
    out[offset + d] = s
    norm += s * s
  }
  const k = 1 / Math.sqrt(norm)
  for (let d = 0; d < DIMS; d++) out[offset + d] = out[offset + d]! * k
}

function record(i: number, now: number, embedding: Float32Array): Execution {
  return {
    task_id: randomUUID(),
    timestamp: new Date(now - rand() * 89 * 86_400_000),
    task_type: ['bugfix', 'feature', 'refactor', 'docs'][i % 4]!,
    task_description: `synthetic task ${i}`,
    repo: `repo-${i % REPOS}`,
    file_count: 1,
    estimated_tokens: 100,
    model_tier: 'medium',
    pool_type: 'local',
    swarm_topology: null,
    routing_confidence: 0.5,
    complexity_score: 50,
    success: i % 5 !== 0,
    duration_seconds: 1,
    quality_score: null,
    cost_estimate: 0,
    actual_cost: 0,
    error_type: null,
    error_message: null,
    user_accepted: null,
    user_rating: null,
    peak_memory_mb: null,
    cpu_time_seconds: null,
    solution_summary: null,
    embedding,
    metadata: null,
    uploaded_at: null,
  }
}

const ms = (x: number) => x.toFixed(2)
const log = (s: string) => process.stderr.write(`${s}\n`)

const keptDir = process.env.SEARCH_BENCH_DIR
const dir = keptDir ?? mkdtempSync(join(tmpdir(), 'orb-search-bench-'))
mkdirSync(dir, { recursive: true })
const path = join(dir, `bench-${ROWS}-${QUANT}.duckdb`)
// A kept database whose load finished (marker file) is reused; its index is rebuilt or loaded as usual.
const loadedMarker = `${path}.loaded`
const reuse = keptDir !== undefined && existsSync(loadedMarker)
try {
  let store = await openStore({ path, embedder: 'hash', indexQuantization: QUANT, memoryLimit: '4GB' })
  const now = Date.now()
  const vectors = new Float32Array(ROWS * DIMS)
  let t = performance.now()
  for (let start = 0; start < ROWS; start += 20_000) {
    const batch: Execution[] = []
    for (let i = start; i < Math.min(ROWS, start + 20_000); i++) {
      lowRank(vectors, i * DIMS)
      batch.push(record(i, now, vectors.subarray(i * DIMS, (i + 1) * DIMS)))
    }
    if (!reuse) await store.enqueueWrite(batch)
    log(`loaded ${Math.min(ROWS, start + 20_000)}/${ROWS}`)
  }
  if (keptDir) writeFileSync(loadedMarker, `${ROWS}\n`)
  log(`data: ${((performance.now() - t) / 1000).toFixed(1)} s`)
  const rss0 = process.memoryUsage().rss
  t = performance.now()
  const index = await getVectorIndex(store, (done, total) => {
    if (done % 100_000 < 2048) log(`index ${done}/${total}`)
  })
  const buildS = (performance.now() - t) / 1000
  const rssIndex = process.memoryUsage().rss - rss0
  await store.close()
  const fileMb = statSync(`${path}.usearch`).size / 1_048_576
  store = await openStore({
    path,
    embedder: 'hash',
    indexQuantization: QUANT,
    ...EF,
    memoryLimit: '4GB',
  })
  // Run with --expose-gc for the JS heap the index's rows keep (without it, garbage is counted too).
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {})
  gc()
  const rssBeforeReopen = process.memoryUsage().rss
  const heapBeforeReopen = process.memoryUsage().heapUsed
  t = performance.now()
  await getVectorIndex(store)
  const reopenS = (performance.now() - t) / 1000
  // The index as a server holds it: loaded from its file, plus its rows' columns read to reconcile.
  const rssReopen = process.memoryUsage().rss - rssBeforeReopen
  gc()
  const heapReopen = process.memoryUsage().heapUsed - heapBeforeReopen

  const cases: [string, Partial<SimilarQuery>][] = [
    ['no filter', {}],
    [`repo filter (1 of ${REPOS})`, { repo: 'repo-3' }],
    ['7-day window', { days: 7 }],
  ]
  const rows: string[] = []
  for (const [name, filter] of cases) {
    const auto: number[] = []
    const exact: number[] = []
    let recall = 0
    const strategies = new Set<string>()
    // Warm-up, not timed: the first query loads the filter statistics (a scan of the table).
    for (let q = 0; q < 5; q++) {
      const base = Math.floor(rand() * ROWS)
      await findSimilarWithPlan(store, {
        embedding: Array.from(vectors.subarray(base * DIMS, (base + 1) * DIMS)),
        limit: 10,
        minSimilarity: -1,
        ...filter,
      })
    }
    for (let q = 0; q < QUERIES; q++) {
      const base = Math.floor(rand() * ROWS)
      const query = Float32Array.from(
        vectors.subarray(base * DIMS, (base + 1) * DIMS),
        (x) => x + gauss() * 0.02,
      )
      const input = { embedding: Array.from(query), limit: 10, minSimilarity: -1, ...filter }
      let t0 = performance.now()
      const a = await findSimilarWithPlan(store, input)
      auto.push(performance.now() - t0)
      strategies.add(a.plan.strategy)
      t0 = performance.now()
      const e = await findSimilarWithPlan(store, input, { forceStrategy: 'exact' })
      exact.push(performance.now() - t0)
      const truth = new Set(e.rows.map((r) => r.task_id))
      recall += a.rows.filter((r) => truth.has(r.task_id)).length / Math.max(1, truth.size)
    }
    rows.push(
      `| ${name} | ${[...strategies].join('+')} | ${ms(percentile(auto, 0.5))} | ${ms(percentile(auto, 0.99))} | ${(recall / QUERIES).toFixed(3)} | ${ms(percentile(exact, 0.5))} | ${(percentile(exact, 0.5) / percentile(auto, 0.5)).toFixed(0)}x |`,
    )
    log(rows.at(-1)!)
  }
  await store.close()
  console.log(
    `\n### ${ROWS.toLocaleString('en')} rows, ${QUANT} index (M=16, efConstruction=128, ef=${store.config.indexExpansionSearch})\n`,
  )
  console.log(
    `index build ${buildS.toFixed(1)} s (${Math.round(ROWS / buildS).toLocaleString('en')} rows/s, incl. reading the vectors from DuckDB); ` +
      `reopen (load + reconcile) ${reopenS.toFixed(2)} s; index file ${fileMb.toFixed(0)} MB; RSS growth while building ${(rssIndex / 1_048_576).toFixed(0)} MB (DuckDB's buffers included), at reopen ${(rssReopen / 1_048_576).toFixed(0)} MB (of which the rows' columns on the JS heap ${(heapReopen / 1_048_576).toFixed(0)} MB); ${index?.size} entries; ${QUERIES} queries per case after 5 untimed\n`,
  )
  console.log('| query | strategy | p50 ms | p99 ms | recall@10 | linear scan p50 ms | speed-up p50 |')
  console.log('|---|---|---|---|---|---|---|')
  for (const r of rows) console.log(r)
} finally {
  if (!keptDir) rmSync(dir, { recursive: true, force: true })
}
