import { type DuckDBAppender, type DuckDBConnection, listValue } from '@duckdb/node-api'
import { errorMessage } from '../errors.js'
import type { Execution } from '../record.js'
import { ExecutionChunkWriter } from './execution-chunk.js'

/** What happened to one record of a write. */
export type WriteOutcome = { status: 'inserted' | 'updated' } | { status: 'rejected'; error: string }

/** How a batch is written: straight append, or replace-existing first (when ids may already exist). */
type Mode = 'append' | 'replace'

/**
 * The single writer of `executions`. Each batch is one transaction: rows are appended straight into
 * the table through a DataChunk appender (no staging table). The fast path assumes new task_ids; when the
 * table refuses the batch, it is retried in 'replace' mode (DELETE the ids that exist, then append), and
 * if that fails too, split in halves until the bad records are isolated and rejected one by one.
 */
export class ExecutionWriter {
  readonly #conn: DuckDBConnection
  #appender: DuckDBAppender | undefined
  #chunks: ExecutionChunkWriter | undefined

  constructor(conn: DuckDBConnection) {
    this.#conn = conn
  }

  /**
   * Write validated executions; resolves after COMMIT with one outcome per record, in order.
   * Several records with one task_id: the last wins; the first counts as inserted (or updated when the
   * row existed), each later one as updated. A rejected last record rejects them all. Rows without an
   * uploaded_at get `uploadedAt`.
   */
  async write(batch: readonly Execution[], uploadedAt = new Date()): Promise<WriteOutcome[]> {
    const lastIndex = new Map<string, number>()
    for (let i = 0; i < batch.length; i++) lastIndex.set(batch[i]!.task_id, i)
    if (lastIndex.size === batch.length) return this.#writeUnique(batch, 'append', uploadedAt)
    const unique = [...lastIndex.values()].map((i) => batch[i]!)
    const uniqueOutcomes = await this.#writeUnique(unique, 'append', uploadedAt)
    const byId = new Map(unique.map((e, i) => [e.task_id, uniqueOutcomes[i]!]))
    const seen = new Set<string>()
    return batch.map((e) => {
      const final = byId.get(e.task_id)!
      // The first occurrence made (or replaced) the row; each later one replaced it again.
      const first = !seen.has(e.task_id)
      seen.add(e.task_id)
      return final.status === 'rejected' || first ? final : { status: 'updated' }
    })
  }

  /** Release the appender (the connection stays open). */
  close(): void {
    this.#dropAppender()
  }

  async #writeUnique(batch: readonly Execution[], mode: Mode, uploadedAt: Date): Promise<WriteOutcome[]> {
    if (batch.length === 0) return []
    try {
      return await this.#transaction(batch, mode, uploadedAt)
    } catch (error) {
      if (mode === 'append') return this.#writeUnique(batch, 'replace', uploadedAt)
      if (batch.length === 1) return [{ status: 'rejected', error: describeDatabaseError(error) }]
      const half = Math.ceil(batch.length / 2)
      return [
        ...(await this.#writeUnique(batch.slice(0, half), 'replace', uploadedAt)),
        ...(await this.#writeUnique(batch.slice(half), 'replace', uploadedAt)),
      ]
    }
  }

  async #transaction(batch: readonly Execution[], mode: Mode, uploadedAt: Date): Promise<WriteOutcome[]> {
    const appender = await this.#ensureAppender()
    await this.#conn.run('BEGIN TRANSACTION')
    try {
      let replaced = new Set<string>()
      if (mode === 'replace') {
        const deleted = await this.#conn.runAndReadAll(
          'DELETE FROM executions WHERE task_id IN (SELECT unnest($ids)::UUID) RETURNING task_id::VARCHAR',
          { ids: listValue(batch.map((e) => e.task_id)) },
        )
        replaced = new Set(deleted.getRowsJS().map((r) => String(r[0])))
      }
      this.#chunks!.append(appender, batch, uploadedAt)
      appender.flushSync()
      await this.#conn.run('COMMIT')
      return batch.map((e) => ({ status: replaced.has(e.task_id) ? 'updated' : 'inserted' }))
    } catch (error) {
      // A failed flush leaves rows buffered in the appender: start the next attempt with a fresh one.
      this.#dropAppender()
      await this.#conn.run('ROLLBACK').catch(() => undefined)
      throw error
    }
  }

  async #ensureAppender(): Promise<DuckDBAppender> {
    if (!this.#appender) {
      const appender = await this.#conn.createAppender('executions')
      this.#chunks = new ExecutionChunkWriter(appender)
      this.#appender = appender
    }
    return this.#appender
  }

  #dropAppender(): void {
    const appender = this.#appender
    this.#appender = undefined
    if (!appender) return
    try {
      appender.clear()
      appender.closeSync()
    } catch {
      // Closing flushes; nothing is buffered after clear(), so an error here only means it is already gone.
    }
  }
}

/** A database constraint message, without DuckDB's prefixes, for a per-record rejection. */
function describeDatabaseError(error: unknown): string {
  return `rejected by the database: ${
    errorMessage(error)
      .replace(/^Failed to append: /, '')
      .split('\n')[0]
  }`
}
