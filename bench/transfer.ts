// Export and import speed per format: `npm run bench:transfer -- [rows]` (default 50,000 demo records).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { seedDemo } from '../src/demo/seed-demo.js'
import { openStore } from '../src/store.js'
import { exportExecutions } from '../src/transfer/export-executions.js'
import { importExecutions } from '../src/transfer/import-executions.js'

const rows = Number(process.argv[2] ?? 50_000)
const dir = mkdtempSync(join(tmpdir(), 'orb-learning-bench-transfer-'))
const peak = { rss: 0 }
const sample = setInterval(() => {
  peak.rss = Math.max(peak.rss, process.memoryUsage().rss)
}, 50)
try {
  const source = await openStore({ path: join(dir, 'source.duckdb') })
  const seeded = await seedDemo(source, { rows, seed: 1 })
  process.stderr.write(`seeded ${rows} demo records in ${seeded.seconds.toFixed(1)} s\n`)
  const table: string[] = [
    '| format | rows | file size | export rows/s | import rows/s |',
    '|---|---|---|---|---|',
  ]
  for (const format of ['jsonl', 'csv', 'parquet'] as const) {
    const file = join(dir, `all.${format}`)
    const exported = await exportExecutions(source, file)
    const target = await openStore({ path: join(dir, `${format}.duckdb`) })
    const imported = await importExecutions(target, file)
    await target.close()
    if (imported.inserted !== rows) throw new Error(`${format}: imported ${imported.inserted} of ${rows}`)
    const mb = (statSync(file).size / 1_048_576).toFixed(1)
    table.push(
      `| ${format} | ${rows} | ${mb} MB | ${Math.round(rows / exported.seconds)} | ${Math.round(rows / imported.seconds)} |`,
    )
    process.stderr.write(`${format} done\n`)
  }
  await source.close()
  console.log(table.join('\n'))
  console.log(`peak RSS ${(peak.rss / 1_048_576).toFixed(0)} MB`)
} finally {
  clearInterval(sample)
  rmSync(dir, { recursive: true, force: true })
}
