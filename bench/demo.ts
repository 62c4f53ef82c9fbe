// Generation speed of the demo dataset (no database): `npm run bench:demo -- [rows]`.
import { demoExecutions } from '../src/demo/generate-executions.js'

const rows = Number(process.argv[2] ?? 1_000_000)
const started = performance.now()
let n = 0
for (const _ of demoExecutions(rows, { seed: 1, now: new Date('2026-01-01T00:00:00Z') })) n++
const seconds = (performance.now() - started) / 1000
const rss = process.memoryUsage().rss / 1_048_576
console.log(
  `generated ${n} demo records in ${seconds.toFixed(2)} s: ${Math.round(n / seconds)} records/s, RSS ${rss.toFixed(0)} MB`,
)
