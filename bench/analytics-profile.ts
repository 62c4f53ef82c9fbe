// Profile the named queries and the dashboard on an existing database (e.g. a 200k-row demo db), warm:
// `node --import tsx bench/analytics-profile.ts /tmp/a200k.duckdb [runs]`. Prints p50 per query and the
// dashboard's API calls together; a development aid next to `npm run bench:analytics` (which builds its own db).
import { cpus, loadavg } from 'node:os'
import { listQueries, runQuery } from '../src/analytics/query-registry.js'
import { ensureRollupsFresh, refreshRollups } from '../src/analytics/rollup-refresh.js'
import { loadDashboard } from '../src/interfaces/http/dashboard/load-dashboard.js'
import { openStore } from '../src/store.js'

const path = process.argv[2]
const runs = Number(process.argv[3] ?? 9)
if (!path) throw new Error('usage: analytics-profile.ts <db> [runs]')
const log = (s: string) => process.stderr.write(`${s}\n`)
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

// Wall time and process CPU time (DuckDB's threads included): on a shared machine CPU time moves less with load.
async function time(fn: () => Promise<unknown>, n: number): Promise<string> {
  await fn()
  const wall: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    await fn()
    wall.push(performance.now() - t)
    const d = process.cpuUsage(c)
    cpu.push((d.user + d.system) / 1000)
  }
  return `${p50(wall).toFixed(1)} | ${p50(cpu).toFixed(1)}`
}

log(`machine: ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`)
const store = await openStore({ path })
let t = performance.now()
await refreshRollups(store, { full: true })
log(`full rollup build ${(performance.now() - t).toFixed(0)} ms`)
t = performance.now()
await refreshRollups(store)
log(`consistency check + refresh (nothing stale) ${(performance.now() - t).toFixed(1)} ms`)
await ensureRollupsFresh(store)
console.log('| query | wall p50 ms | CPU p50 ms |\n|---|---:|---:|')
for (const q of listQueries())
  console.log(`| ${q.name} | ${await time(() => runQuery(store, q.name), runs)} |`)
// Filter values are cached by the server (a minute): leave them out, as a refresh of the page does.
const filterValues = async () => ({ repo: [], model_tier: [], pool_type: [], task_type: [] })
for (const range of ['24h', '7d', '30d']) {
  const ms = await time(() => loadDashboard(store, { range }, { filterValues }), runs)
  console.log(`| dashboard ${range} (every panel) | ${ms} |`)
}
await store.close()
