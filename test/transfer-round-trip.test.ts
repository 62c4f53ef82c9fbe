import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { generateDemoExecutions } from '../src/demo/generate-executions.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { EMBEDDING_DIMENSIONS, EXECUTION_COLUMNS } from '../src/record.js'
import { openStore, type Store } from '../src/store.js'
import { exportExecutions } from '../src/transfer/export-executions.js'
import { importExecutions } from '../src/transfer/import-executions.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

function edgeRecords(): Record<string, unknown>[] {
  const embedding = Array.from(
    { length: EMBEDDING_DIMENSIONS },
    (_, i) => Math.sin(i * 1.7) * 10 ** ((i % 70) - 35),
  )
  embedding[0] = 3.4028234663852886e38
  embedding[1] = 1.401298464324817e-45
  embedding[2] = -0
  embedding[3] = 0.1
  return [
    execution({
      task_description: 'Ünïcödé ✓ 日本語 emoji 🚀, "quotes", commas, and\na newline',
      solution_summary: "'; DROP TABLE executions; --",
      error_message: '',
      swarm_topology: null,
      routing_confidence: 0.7,
      duration_seconds: 0,
      embedding,
      metadata: { nested: { list: [1, 2.5, 'x'], ok: true }, text: 'ä\tb' },
    }),
    execution({
      metadata: null,
      quality_score: null,
      user_accepted: false,
      user_rating: 5,
      peak_memory_mb: null,
    }),
    execution({ routing_confidence: 1, complexity_score: 100, cost_estimate: 1e-7, actual_cost: 123456.789 }),
  ]
}

async function allRows(store: Store): Promise<Record<string, unknown>[]> {
  return store.read((conn) =>
    queryRows(conn, `SELECT ${EXECUTION_COLUMNS.join(', ')} FROM executions ORDER BY task_id`),
  )
}

describe('export then import', () => {
  for (const format of ['jsonl', 'csv', 'parquet'] as const) {
    it(`should round-trip every column exactly through ${format}`, () =>
      withStore(async (source, dir) => {
        const demo = generateDemoExecutions(300, { seed: 3, now: new Date(Date.now() - 60_000) })
        const written = await recordExecutions(source, [...demo, ...edgeRecords()])
        assert.equal(written.rejected.length, 0, JSON.stringify(written.rejected))
        const file = join(dir, `out.${format}`)
        const exported = await exportExecutions(source, file)
        assert.equal(exported.rows, 303)
        const target = await openStore({ path: join(dir, 'copy.duckdb') })
        try {
          const report = await importExecutions(target, file)
          assert.deepEqual([report.rows, report.inserted, report.updated, report.rejected], [303, 303, 0, 0])
          const [expected, actual] = [await allRows(source), await allRows(target)]
          assert.deepEqual(actual, expected)
          const again = await importExecutions(target, file)
          assert.deepEqual([again.inserted, again.updated], [0, 303])
        } finally {
          await target.close()
        }
      }))
  }
})
