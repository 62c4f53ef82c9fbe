import { statSync } from 'node:fs'
import { getMetadata } from '../db/metadata-table.js'
import { schemaVersion } from '../db/migrations.js'
import { queryRows } from '../db/query-rows.js'
import type { Store } from '../store.js'

/** What `orb-learning status` shows: how much is stored, where, by which schema and embedder. */
export interface DatabaseStatus {
  path: string
  record_count: number
  feedback_count: number
  size_bytes: number
  wal_bytes: number
  schema_version: number
  embedder: string | null
  first_timestamp: string | null
  last_timestamp: string | null
  queue_depth: number
}

/** Summarise the database: rows, size on disk, schema version, embedder and time span. */
export async function getDatabaseStatus(store: Store): Promise<DatabaseStatus> {
  return store.read(async (conn) => {
    const [row] = await queryRows<{ n: number; first: Date | null; last: Date | null }>(
      conn,
      'SELECT count(*) AS n, min(timestamp) AS first, max(timestamp) AS last FROM executions',
    )
    const [fb] = await queryRows<{ n: number }>(conn, 'SELECT count(*) AS n FROM feedback')
    return {
      path: store.path,
      record_count: row?.n ?? 0,
      feedback_count: fb?.n ?? 0,
      size_bytes: fileSize(store.path),
      wal_bytes: fileSize(`${store.path}.wal`),
      schema_version: await schemaVersion(conn),
      embedder: (await getMetadata(conn, 'embedder_id')) ?? null,
      first_timestamp: row?.first ? row.first.toISOString() : null,
      last_timestamp: row?.last ? row.last.toISOString() : null,
      queue_depth: store.queueDepth,
    }
  })
}

function fileSize(path: string): number {
  if (path === ':memory:') return 0
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}
