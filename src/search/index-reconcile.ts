import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from '../db/query-rows.js'
import { streamEmbeddings } from './embedding-stream.js'
import { INDEXED_ROW_COLUMNS, type IndexedRow, type VectorIndex } from './vector-index.js'
import { vectorKey } from './vector-key.js'

/** What reconciling an index with the table did. */
export interface ReconcileReport {
  rows: number
  added: number
  removed: number
}

const ID_CHUNK = 500

/**
 * Make the index hold exactly the rows of `executions` that have an embedding: rows it lacks are
 * added, entries without a row (listed in `savedKeys`) removed. `onProgress(done, total)` reports adds.
 */
export async function reconcileIndex(
  conn: DuckDBConnection,
  index: VectorIndex,
  savedKeys: BigUint64Array | undefined,
  onProgress?: (done: number, total: number) => void,
): Promise<ReconcileReport> {
  const rows = await queryRows<IndexedRow>(
    conn,
    `SELECT ${INDEXED_ROW_COLUMNS} FROM executions WHERE embedding IS NOT NULL`,
  )
  const keys = BigUint64Array.from(rows, (r) => vectorKey(r.task_id))
  const present = index.containsKeys(keys)
  const missing: string[] = []
  const byId = new Map<string, IndexedRow>()
  rows.forEach((r, i) => {
    if (present[i]) index.bindKey(keys[i]!, r)
    else {
      missing.push(r.task_id)
      byId.set(r.task_id, r)
    }
  })
  const rowsOf = (taskIds: readonly string[]) => taskIds.map((id) => byId.get(id)!)
  let removed = 0
  if (savedKeys) {
    const live = new Set(keys)
    const orphans = Array.from(savedKeys).filter((k) => !live.has(k))
    index.removeKeys(orphans)
    removed = orphans.length
  }
  if (missing.length === rows.length && rows.length > ID_CHUNK) {
    // Building from scratch: one streaming scan beats thousands of id lookups.
    await streamEmbeddings(
      conn,
      'SELECT task_id::VARCHAR, embedding FROM executions WHERE embedding IS NOT NULL',
      {},
      ({ taskIds, vectors }) => {
        index.upsert(rowsOf(taskIds), vectors)
        onProgress?.(index.size, rows.length)
      },
    )
  } else {
    for (let start = 0; start < missing.length; start += ID_CHUNK) {
      const ids = missing.slice(start, start + ID_CHUNK)
      const params = Object.fromEntries(ids.map((id, i) => [`id${i}`, id]))
      const list = ids.map((_, i) => `$id${i}::UUID`).join(', ')
      await streamEmbeddings(
        conn,
        `SELECT task_id::VARCHAR, embedding FROM executions WHERE embedding IS NOT NULL AND task_id IN (${list})`,
        params,
        ({ taskIds, vectors }) => index.upsert(rowsOf(taskIds), vectors),
      )
      onProgress?.(Math.min(start + ID_CHUNK, missing.length), missing.length)
    }
  }
  return { rows: rows.length, added: missing.length, removed }
}
