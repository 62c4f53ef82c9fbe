import { existsSync } from 'node:fs'
import type { DuckDBConnection } from '@duckdb/node-api'
import { listValue } from '@duckdb/node-api'
import { errorMessage, LearningError } from '../errors.js'
import { recordExecutions } from '../ingest/record-executions.js'
import { EXECUTION_COLUMNS } from '../record.js'
import type { Store } from '../store.js'
import { rowToRecord } from '../transfer/tabular-values.js'
import { openDatabase } from './open-database.js'
import { queryRows } from './query-rows.js'

/** One legacy row that could not be taken, and why. */
export interface LegacyRejection {
  /** 1-based position in the legacy table (ordered by timestamp, task_id). */
  row: number
  task_id?: string
  error: string
}

/** What a legacy import did. Rows whose task_id is already stored are left alone (unchanged). */
export interface LegacyImportReport {
  file: string
  rows: number
  inserted: number
  unchanged: number
  rejected: LegacyRejection[]
  seconds: number
}

// Everything but the 768-d embedding (ours is re-computed); timestamps also as text to keep microseconds.
const LEGACY_SELECT = `SELECT ${EXECUTION_COLUMNS.filter((c) => c !== 'embedding').join(', ')},
    strftime(timestamp, '%Y-%m-%d %H:%M:%S.%f') AS exact_timestamp,
    strftime(uploaded_at, '%Y-%m-%d %H:%M:%S.%f') AS exact_uploaded_at
  FROM executions ORDER BY timestamp, task_id`

/**
 * Import the `executions` table of a database written by the original Python system: opened read-only
 * in a private DuckDB instance, every row validated by the same rules, embeddings re-computed by the
 * store's embedder, all other fields kept exactly (timestamps to the microsecond). Idempotent.
 * @example
 * const report = await importLegacyDatabase(store, 'old/learning.duckdb') // { inserted: 50, ... }
 */
export async function importLegacyDatabase(store: Store, file: string): Promise<LegacyImportReport> {
  const started = performance.now()
  const rows = await readLegacyRows(file)
  const stored = await existingIds(
    store,
    rows.map((r) => String(r.task_id)),
  )
  const report: LegacyImportReport = {
    file,
    rows: rows.length,
    inserted: 0,
    unchanged: 0,
    rejected: [],
    seconds: 0,
  }
  const fresh: { row: number; record: Record<string, unknown>; exact: [string | null, string | null] }[] = []
  rows.forEach((row, i) => {
    if (stored.has(String(row.task_id).toLowerCase())) {
      report.unchanged++
      return
    }
    const { exact_timestamp, exact_uploaded_at, ...columns } = row
    fresh.push({
      row: i + 1,
      record: rowToRecord(columns, false),
      exact: [exact_timestamp as string | null, exact_uploaded_at as string | null],
    })
  })
  const result = await recordExecutions(
    store,
    fresh.map((f) => f.record),
  )
  report.inserted = result.inserted
  for (const r of result.rejected) {
    report.rejected.push({
      row: fresh[r.index]!.row,
      ...(r.task_id ? { task_id: r.task_id } : {}),
      error: r.error,
    })
  }
  const rejectedIndexes = new Set(result.rejected.map((r) => r.index))
  const kept = fresh.filter((_, i) => !rejectedIndexes.has(i))
  await restoreExactTimestamps(
    store,
    kept.map((f) => ({ task_id: String(f.record.task_id), exact: f.exact })),
  )
  report.seconds = (performance.now() - started) / 1000
  return report
}

async function readLegacyRows(file: string): Promise<Record<string, unknown>[]> {
  if (!existsSync(file)) throw new LearningError('not_found', `legacy database ${file} does not exist`)
  // Its own read-only instance: the legacy file is never written, and never mixed with our instance.
  const instance = await openDatabase(file, { readOnly: true, memoryLimit: '512MB', threads: 1 })
  const conn = await instance.connect()
  try {
    try {
      return await queryRows(conn, LEGACY_SELECT)
    } catch (error) {
      throw new LearningError(
        'invalid_input',
        `${file} has no executions table in the original system's layout: ${errorMessage(error)}`,
        { cause: error },
      )
    }
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

async function existingIds(store: Store, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set()
  const rows = await store.read((conn) =>
    queryRows<{ id: string }>(
      conn,
      'SELECT task_id::VARCHAR AS id FROM executions WHERE task_id::VARCHAR IN (SELECT unnest($ids::VARCHAR[]))',
      { ids: listValue(ids) },
    ),
  )
  return new Set(rows.map((r) => r.id))
}

// The record API carries milliseconds (JS Date); the legacy file has microseconds: put them back.
async function restoreExactTimestamps(
  store: Store,
  rows: { task_id: string; exact: [string | null, string | null] }[],
): Promise<void> {
  if (rows.length === 0) return
  await store.withWriter(async (conn: DuckDBConnection) => {
    await conn.run('BEGIN TRANSACTION')
    try {
      for (const { task_id, exact } of rows) {
        await conn.run(
          `UPDATE executions SET timestamp = $ts::TIMESTAMP, uploaded_at = $up::TIMESTAMP WHERE task_id = $id::UUID`,
          { ts: exact[0], up: exact[1], id: task_id },
        )
      }
      await conn.run('COMMIT')
    } catch (error) {
      await conn.run('ROLLBACK')
      throw error
    }
  })
}
