import { queryRows } from '../db/query-rows.js'
import type { Store } from '../store.js'
import { listArchives } from './restore-archive.js'

/** The review's `get_retention_stats`, plus the archives on disk. */
export interface RetentionStats {
  total_records: number
  age_distribution: { age_bucket: string; count: number }[]
  retention_days: number
  expired_records: number
  archives: {
    manifest: string | null
    status: string
    rows: number
    bytes: number
    first_timestamp: string | null
    last_timestamp: string | null
  }[]
  archive_bytes: number
}

const BUCKETS = ['0-7 days', '7-30 days', '30-90 days', '90+ days (expired)'] as const

/** Count executions by age bucket ('0-7 days' ... '90+ days (expired)') and list the archive files and sizes. */
export async function getRetentionStats(
  store: Store,
  options: { archiveDir?: string; retentionDays?: number } = {},
): Promise<RetentionStats> {
  const rows = await store.read((conn) =>
    queryRows<{ age_bucket: string; count: number }>(
      conn,
      `SELECT CASE
         WHEN timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY THEN '0-7 days'
         WHEN timestamp >= now()::TIMESTAMP - INTERVAL 30 DAY THEN '7-30 days'
         WHEN timestamp >= now()::TIMESTAMP - INTERVAL 90 DAY THEN '30-90 days'
         ELSE '90+ days (expired)' END AS age_bucket, count(*) AS count
       FROM executions GROUP BY age_bucket`,
    ),
  )
  const age_distribution = BUCKETS.map((b) => ({
    age_bucket: b,
    count: rows.find((r) => r.age_bucket === b)?.count ?? 0,
  }))
  const archives = listArchives(store, { archiveDir: options.archiveDir }).map((a) => ({
    manifest: a.manifest,
    status: a.status,
    rows: a.rows.executions ?? 0,
    bytes: a.bytes,
    first_timestamp: a.first_timestamp,
    last_timestamp: a.last_timestamp,
  }))
  return {
    total_records: age_distribution.reduce((n, b) => n + b.count, 0),
    age_distribution,
    retention_days: options.retentionDays ?? 90,
    expired_records: age_distribution[3]!.count,
    archives,
    archive_bytes: archives.reduce((n, a) => n + a.bytes, 0),
  }
}
