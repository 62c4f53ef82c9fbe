import {
  type DuckDBConnection,
  DuckDBDataChunkWriter,
  type JS,
  JSToDuckDBValueConverter,
} from '@duckdb/node-api'
import { errorMessage } from '../errors.js'
import { EXECUTION_COLUMNS, type Execution } from '../record.js'

/** What happened to one record of a write. */
export type WriteOutcome = { status: 'inserted' | 'updated' } | { status: 'rejected'; error: string }

const STAGING = 'executions_staging'
const COLUMN_LIST = EXECUTION_COLUMNS.join(', ')
const UPDATE_LIST = EXECUTION_COLUMNS.filter((c) => c !== 'task_id')
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')

/** Create the writer connection's private staging table (same columns as `executions`, no constraints). */
export async function prepareWriter(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGING} AS SELECT ${COLUMN_LIST} FROM executions LIMIT 0`)
}

/**
 * Write validated executions in ONE transaction: append them to the staging table through the
 * DataChunk appender, then upsert into `executions` on task_id. Resolves after COMMIT.
 * When the batch fails as a whole, it is split to find the bad records, so one never costs the others.
 */
export async function writeExecutions(
  conn: DuckDBConnection,
  batch: readonly Execution[],
): Promise<WriteOutcome[]> {
  // The last of several records with one task_id wins; the earlier ones count as written and replaced.
  const lastIndex = new Map<string, number>()
  for (const [i, e] of batch.entries()) lastIndex.set(e.task_id, i)
  const unique = [...lastIndex.values()].map((i) => batch[i]!)
  const uniqueOutcomes = await writeUnique(conn, unique)
  const byId = new Map(unique.map((e, i) => [e.task_id, uniqueOutcomes[i]!]))
  const seen = new Set<string>()
  return batch.map((e, i) => {
    const final = byId.get(e.task_id)!
    if (lastIndex.get(e.task_id) === i)
      return seen.has(e.task_id) && final.status === 'inserted' ? { status: 'updated' } : final
    seen.add(e.task_id)
    return final.status === 'rejected' ? final : { status: final.status }
  })
}

async function writeUnique(conn: DuckDBConnection, batch: readonly Execution[]): Promise<WriteOutcome[]> {
  if (batch.length === 0) return []
  try {
    return await writeTransaction(conn, batch)
  } catch (error) {
    if (batch.length === 1) return [{ status: 'rejected', error: describeDatabaseError(error) }]
    const half = Math.ceil(batch.length / 2)
    return [
      ...(await writeUnique(conn, batch.slice(0, half))),
      ...(await writeUnique(conn, batch.slice(half))),
    ]
  }
}

async function writeTransaction(
  conn: DuckDBConnection,
  batch: readonly Execution[],
): Promise<WriteOutcome[]> {
  await conn.run('BEGIN TRANSACTION')
  try {
    const appender = await conn.createAppender(STAGING, 'main', 'temp')
    try {
      const writer = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter })
      const uploadedAt = new Date()
      for (const e of batch) writer.appendRow(toRow(e, uploadedAt))
      writer.flush()
      appender.flushSync()
    } finally {
      appender.closeSync()
    }
    const existing = await conn.runAndReadAll(
      `SELECT s.task_id::VARCHAR FROM ${STAGING} s SEMI JOIN executions e ON e.task_id = s.task_id`,
    )
    const updated = new Set(existing.getRowsJS().map((r) => String(r[0])))
    await conn.run(
      `INSERT INTO executions (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM ${STAGING}
       ON CONFLICT (task_id) DO UPDATE SET ${UPDATE_LIST}`,
    )
    await conn.run(`DELETE FROM ${STAGING}`)
    await conn.run('COMMIT')
    return batch.map((e) => ({ status: updated.has(e.task_id) ? 'updated' : 'inserted' }))
  } catch (error) {
    await conn.run('ROLLBACK').catch(() => undefined)
    await conn.run(`DELETE FROM ${STAGING}`).catch(() => undefined)
    throw error
  }
}

function toRow(e: Execution, uploadedAt: Date): JS[] {
  return EXECUTION_COLUMNS.map((column): JS => {
    const value = e[column]
    if (column === 'metadata') return value === null ? null : JSON.stringify(value)
    // Float32Array is accepted for FLOAT[384] as is: no per-row copy.
    if (column === 'embedding') return value as unknown as JS
    if (column === 'uploaded_at') return (value as Date | null) ?? uploadedAt
    return value as unknown as JS
  })
}

/** A database constraint message, without DuckDB's prefixes, for a per-record rejection. */
function describeDatabaseError(error: unknown): string {
  return `rejected by the database: ${
    errorMessage(error)
      .replace(/^Failed to append: /, '')
      .split('\n')[0]
  }`
}
