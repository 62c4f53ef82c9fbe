import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from '../db/query-rows.js'
import type { Store } from '../store.js'

/** The jobs `maintenance_log` records. */
export type MaintenanceJob =
  | 'retention'
  | 'archive_restore'
  | 'backup'
  | 'restore'
  | 'backup_prune'
  | 'alerts'

/** One row of `maintenance_log`. */
export interface MaintenanceEntry {
  started_at: Date
  finished_at: Date
  job: MaintenanceJob
  status: 'ok' | 'failed' | 'warning'
  rows_affected: number
  detail: Record<string, unknown> | null
}

/** Append one entry to `maintenance_log` on the given (writer) connection. */
export async function logMaintenance(
  conn: DuckDBConnection,
  entry: Omit<MaintenanceEntry, 'finished_at'>,
): Promise<void> {
  await conn.run(
    `INSERT INTO maintenance_log (started_at, job, status, rows_affected, detail)
     VALUES ($started_at, $job, $status, $rows, $detail)`,
    {
      started_at: entry.started_at.toISOString().replace('Z', ''),
      job: entry.job,
      status: entry.status,
      rows: entry.rows_affected,
      detail: entry.detail === null ? null : JSON.stringify(entry.detail),
    },
  )
}

/** The latest entries of `maintenance_log`, newest first, optionally of one job. */
export async function listMaintenance(
  store: Store,
  options: { job?: MaintenanceJob; limit?: number } = {},
): Promise<MaintenanceEntry[]> {
  const rows = await store.read((conn) =>
    queryRows<Omit<MaintenanceEntry, 'detail'> & { detail: string | null }>(
      conn,
      `SELECT started_at, finished_at, job, status, rows_affected, detail FROM maintenance_log
       WHERE $job IS NULL OR job = $job ORDER BY finished_at DESC LIMIT $limit`,
      { job: options.job ?? null, limit: options.limit ?? 50 },
    ),
  )
  return rows.map((r) => ({ ...r, detail: r.detail === null ? null : JSON.parse(r.detail) }))
}
