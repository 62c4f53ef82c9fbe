import { queryRows } from '../db/query-rows.js'
import { LearningError } from '../errors.js'
import { recordExecutions } from '../ingest/record-executions.js'
import type { Store } from '../store.js'
import type { ProgressListener } from '../transfer/progress.js'
import { type DemoExecution, type DemoOptions, demoExecutions } from './generate-executions.js'

/** Options of `seedDemo`. */
export interface SeedDemoOptions extends DemoOptions {
  /** Records to write. Default 20,000. */
  rows?: number
  /** Records per `recordExecutions` call. Default 5,000. */
  batchSize?: number
  onProgress?: ProgressListener
}

/** What `seedDemo` wrote. */
export interface SeedDemoReport {
  inserted: number
  updated: number
  rejected: number
  seconds: number
}

/** SQL that counts rows not marked as demo data (`metadata.demo = true`). */
const NON_DEMO_ROWS = `SELECT count(*) AS n FROM executions
  WHERE coalesce(json_extract_string(metadata, '$.demo'), '') <> 'true'`

/** Count the rows of a store that are not demo data. */
export async function countNonDemoRows(store: Store): Promise<number> {
  const [row] = await store.read((conn) => queryRows<{ n: number }>(conn, NON_DEMO_ROWS))
  return row?.n ?? 0
}

/**
 * Fill a store with the synthetic demo dataset through the public write path. Refuses a database
 * that holds any row not marked as demo data; re-running with the same seed updates the same task_ids.
 * @example
 * await seedDemo(await openStore({ path: 'data/demo.duckdb' }), { rows: 20_000 })
 */
export async function seedDemo(store: Store, options: SeedDemoOptions = {}): Promise<SeedDemoReport> {
  const rows = options.rows ?? 20_000
  if (!Number.isInteger(rows) || rows < 0)
    throw new LearningError('invalid_input', `rows must be a whole number >= 0, got ${rows}`)
  const foreign = await countNonDemoRows(store)
  if (foreign > 0) {
    throw new LearningError(
      'conflict',
      `database ${store.path} holds ${foreign} rows that are not demo data; the demo never mixes its rows ` +
        'into real data: give it its own file (default data/demo.duckdb)',
    )
  }
  const batchSize = options.batchSize ?? 5_000
  const started = performance.now()
  const report: SeedDemoReport = { inserted: 0, updated: 0, rejected: 0, seconds: 0 }
  const inFlight = new Set<Promise<void>>()
  let batch: DemoExecution[] = []
  let done = 0
  const flush = (records: DemoExecution[]) => {
    const write: Promise<void> = recordExecutions(store, records).then((result) => {
      report.inserted += result.inserted
      report.updated += result.updated
      report.rejected += result.rejected.length
      done += records.length
      options.onProgress?.({ rows: done, total: rows, elapsedMs: performance.now() - started })
      inFlight.delete(write)
    })
    inFlight.add(write)
    return write
  }
  for (const record of demoExecutions(rows, options)) {
    batch.push(record)
    if (batch.length < batchSize) continue
    flush(batch)
    batch = []
    // A few batches in flight keep the group-commit writer busy while the next one is generated.
    if (inFlight.size >= 3) await Promise.race(inFlight)
  }
  if (batch.length > 0) flush(batch)
  await Promise.all(inFlight)
  report.seconds = (performance.now() - started) / 1000
  return report
}
