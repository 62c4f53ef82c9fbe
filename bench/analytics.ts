// Analytics at 1M rows: `npm run bench:analytics -- [--rows 1000000] [--runs 15] [--ingest-rows 60000] [--fresh]`.
// Prints markdown tables for docs/performance.md (## Analytics). The 1M-row database is cached in .tmp/.
import { mkdirSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { listQueries, runQuery } from '../src/analytics/query-registry.js'
import { refreshRollups, watchRollups } from '../src/analytics/rollup-refresh.js'
import { demoExecutions } from '../src/demo/generate-executions.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { openStore, type Store } from '../src/store.js'
import {
  hasCachedDatabase,
  loadDemoRows,
  REVIEW_DASHBOARD_SQL,
  REVIEW_VIEW_SQL,
  summarise,
  timeRuns,
} from './analytics-data.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '15' },
    'ingest-rows': { type: 'string', default: '60000' },
    fresh: { type: 'boolean', default: false },
  },
})
const ROWS = Number(values.rows)
const RUNS = Number(values.runs)
const INGEST_ROWS = Number(values['ingest-rows'])
const log = (s: string) => process.stderr.write(`${s}\n`)
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-')
const DASHBOARD = listQueries()
  .slice(0, 17)
  .map((q) => q.name)
const DASHBOARD_EXTRA = ['cost_calibration', 'task_type_tier_heatmap', 'live_executions']

const dir = '.tmp/bench-analytics'
mkdirSync(dir, { recursive: true })
const path = join(dir, `demo-${ROWS}.duckdb`)
if (values.fresh) for (const p of [path, `${path}.wal`]) rmSync(p, { force: true })
const load1 = loadavg()[0]!
log(`machine: ${cpus().length} cores, load ${load1.toFixed(1)}`)

const now = new Date()
let store: Store
if (!hasCachedDatabase(path)) {
  store = await openStore({ path })
  log(`loading ${ROWS} demo rows into ${path}`)
  log(`  loaded in ${f1(await loadDemoRows(store, ROWS, now))} s`)
} else {
  log(`reusing ${path} (--fresh to rebuild)`)
  store = await openStore({ path })
}
let t = performance.now()
const build = await refreshRollups(store, { full: true })
log(`full rollup build: ${build.days_refreshed} days in ${f1(performance.now() - t)} ms`)
const buildMs = performance.now() - t

// 1. Every named query, rollup vs raw (the same SQL with useRollups false) vs the review's SQL where one exists.
const lines: string[] = [
  '| query | rollup p50 ms | rollup p99 ms | raw p50 ms | review SQL p50 ms | raw / rollup | review / rollup | source |',
  '|---|---:|---:|---:|---:|---:|---:|---|',
]
const perQuery: { name: string; p50: number }[] = []
for (const q of listQueries()) {
  const r = summarise(await timeRuns(() => runQuery(store, q.name), RUNS))
  const raw = summarise(
    await timeRuns(() => runQuery(store, q.name, {}, { useRollups: false }), Math.ceil(RUNS / 3), 1),
  )
  const reviewSql = REVIEW_DASHBOARD_SQL[q.name] ?? REVIEW_VIEW_SQL[q.name]
  const review = reviewSql
    ? summarise(await timeRuns(() => store.read((c) => c.runAndReadAll(reviewSql)), Math.ceil(RUNS / 3), 1))
    : undefined
  const { source } = await runQuery(store, q.name)
  perQuery.push({ name: q.name, p50: r.p50 })
  lines.push(
    `| ${q.name} | ${f1(r.p50)} | ${f1(r.p99)} | ${f1(raw.p50)} | ${review ? f1(review.p50) : '-'} | ${f1(raw.p50 / r.p50)}x | ${review ? `${f1(review.p50 / r.p50)}x` : '-'} | ${source} |`,
  )
  log(`  ${q.name}: ${f1(r.p50)} ms (raw ${f1(raw.p50)} ms)`)
}

// 2. The dashboard's calls together (issued at once, as the page does).
const together = async (names: string[], useRollups: boolean) =>
  summarise(
    await timeRuns(
      () => Promise.all(names.map((n) => runQuery(store, n, {}, { useRollups }))),
      Math.ceil(RUNS / 2),
      1,
    ),
  )
const dashRollup = await together(DASHBOARD, true)
const dashRaw = await together(DASHBOARD, false)
const dashReview = summarise(
  await timeRuns(
    () =>
      Promise.all(Object.values(REVIEW_DASHBOARD_SQL).map((sql) => store.read((c) => c.runAndReadAll(sql)))),
    Math.ceil(RUNS / 2),
    1,
  ),
)
const fullRollup = await together([...DASHBOARD, ...DASHBOARD_EXTRA], true)

// 3. Rollup refresh after a 10,000-row batch: live (last hour) and late-arriving (spread over 90 days).
const refreshAfter = async (days: number, seed: number) => {
  const batch = [...demoExecutions(10_000, { seed, now: new Date(), days })].map((e) => ({
    ...e,
    task_id: crypto.randomUUID(),
  }))
  await recordExecutions(store, batch)
  // The write path's refresh: the days the batch touched (the whole-table count check runs apart, on a timer).
  const t0 = performance.now()
  const report = await refreshRollups(store, { check: false })
  const ms = performance.now() - t0
  const t1 = performance.now()
  await refreshRollups(store)
  return { ms, days: report.days_refreshed, checkMs: performance.now() - t1 }
}
const live: number[] = []
const checks: number[] = []
for (let i = 0; i < 5; i++) {
  const r = await refreshAfter(1 / 24, 100 + i)
  live.push(r.ms)
  checks.push(r.checkMs)
}
const late = await refreshAfter(90, 200)
await store.close()

// 4. Cold open: open the store and answer the dashboard once.
t = performance.now()
const cold = await openStore({ path })
await Promise.all(DASHBOARD.map((n) => runQuery(cold, n)))
const coldMs = performance.now() - t
await cold.close()

// 5. Ingest throughput through recordExecutions, rollups off vs on (fresh databases, same records).
const ingest = async (withRollups: boolean) => {
  const p = join(tmpdir(), `orb-bench-ingest-${process.pid}-${withRollups}.duckdb`)
  const s = await openStore({ path: p })
  if (withRollups) watchRollups(s)
  const records = [...demoExecutions(INGEST_ROWS, { seed: 9, now: new Date() })]
  const embedding = new Float32Array(384).fill(0.05)
  for (const r of records) (r as { embedding?: Float32Array }).embedding = embedding
  const t0 = performance.now()
  for (let i = 0; i < records.length; i += 5_000) await recordExecutions(s, records.slice(i, i + 5_000))
  if (withRollups) await refreshRollups(s)
  const seconds = (performance.now() - t0) / 1000
  await s.close()
  for (const f of [p, `${p}.wal`]) rmSync(f, { force: true })
  return INGEST_ROWS / seconds
}
const ingestOff = await ingest(false)
const ingestOn = await ingest(true)
const ingestOff2 = await ingest(false)
const ingestOn2 = await ingest(true)
const off = (ingestOff + ingestOff2) / 2
const on = (ingestOn + ingestOn2) / 2

const worst = perQuery.reduce((a, b) => (b.p50 > a.p50 ? b : a))
const liveP50 = summarise(live).p50
console.log(`### Analytics at ${ROWS.toLocaleString('en')} rows

Machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), shared with other sessions; 1-min load ${load1.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end. Warm runs: ${RUNS} per query (p99 of ${RUNS} runs is their maximum).

| target | measured | met |
|---|---:|---|
| every named query p50 <= 50 ms | worst ${worst.name} ${f1(worst.p50)} ms | ${worst.p50 <= 50 ? 'yes' : 'no'} |
| all 17 dashboard calls together <= 300 ms | p50 ${f1(dashRollup.p50)} ms (p99 ${f1(dashRollup.p99)}) | ${dashRollup.p50 <= 300 ? 'yes' : 'no'} |
| rollup refresh after a 10,000-row batch <= 100 ms | live batch p50 ${f1(liveP50)} ms (max ${f1(Math.max(...live))}) | ${liveP50 <= 100 ? 'yes' : 'no'} |
| ingest throughput drop with rollups <= 15 % | ${f1(off)} -> ${f1(on)} rows/s (${f1((1 - on / off) * 100)} %) | ${on >= off * 0.85 ? 'yes' : 'no'} |

| other measurement | value |
|---|---:|
| dashboard together, same SQL on raw rows (no rollups) | p50 ${f1(dashRaw.p50)} ms (${f1(dashRaw.p50 / dashRollup.p50)}x) |
| dashboard together, the review's SQL on the raw table | p50 ${f1(dashReview.p50)} ms (${f1(dashReview.p50 / dashRollup.p50)}x) |
| dashboard + calibration, heat map, live table together | p50 ${f1(fullRollup.p50)} ms |
| refresh after a late-arriving 10,000-row batch over 90 days | ${f1(late.ms)} ms (${late.days} days recomputed) |
| whole-table consistency check (background timer, after each live batch) | p50 ${f1(summarise(checks).p50)} ms |
| full rollup build from scratch | ${f1(buildMs)} ms (${build.days_refreshed} days) |
| cold open of the store + first dashboard | ${f1(coldMs)} ms |

${lines.join('\n')}
`)
