import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { quoteIdent } from './archive-manifest.js'
import { backupSidecars } from './backup-sidecars.js'
import { resolveInRoot } from './safe-path.js'

/** Options of `getStorageStats`. */
export interface StorageOptions {
  archiveDir?: string
  backupDir?: string
  /** Retention window the projection assumes. Default 90. */
  retentionDays?: number
}

/** Storage use and growth, with the review's `get_storage_stats` fields first. */
export interface StorageStats {
  database_path: string
  database_size_mb: number
  row_count: number
  avg_row_size_kb: number
  retention_days: number
  estimated_max_size_mb: number
  file_size_bytes: number
  wal_size_bytes: number
  tables: Record<string, number>
  bytes_per_row: number
  index_size_bytes: number
  archive_size_bytes: number
  archive_files: number
  backup_size_bytes: number
  /** Executions per day over the last 30 days, from their timestamps. */
  rows_per_day: number
  growth_mb_per_day: number
}

/**
 * Measure the database on disk: file and WAL size, rows per table, bytes per row, vector index, archives and
 * backups, growth per day over the last 30 days, and the size the configured retention window leads to.
 */
export async function getStorageStats(store: Store, options: StorageOptions = {}): Promise<StorageStats> {
  const retentionDays = options.retentionDays ?? 90
  const file = sizeOf(store.path)
  const wal = sizeOf(`${store.path}.wal`)
  const { tables, perDay } = await store.read(async (conn) => {
    const names = await queryRows<{ name: string }>(
      conn,
      `SELECT table_name AS name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY 1`,
    )
    const tables: Record<string, number> = {}
    for (const { name } of names) {
      const [r] = await queryRows<{ n: number }>(conn, `SELECT count(*) AS n FROM ${quoteIdent(name)}`)
      tables[name] = r?.n ?? 0
    }
    const [g] = await queryRows<{ n: number }>(
      conn,
      `SELECT count(*) AS n FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 30 DAY`,
    )
    return { tables, perDay: (g?.n ?? 0) / 30 }
  })
  const rows = tables.executions ?? 0
  const bytesPerRow = rows > 0 ? (file + wal) / rows : 0
  const dirSize = (dir: string, name: string) =>
    folderSize(resolveInRoot(store.config.dataDir, dir, { field: name, livePath: store.path }))
  const archives = dirSize(options.archiveDir ?? 'archive', 'archiveDir')
  const backups = dirSize(options.backupDir ?? 'backups', 'backupDir')
  const mb = (b: number) => round(b / 1_048_576)
  return {
    database_path: store.path,
    database_size_mb: mb(file + wal),
    row_count: rows,
    avg_row_size_kb: round(bytesPerRow / 1024),
    retention_days: retentionDays,
    estimated_max_size_mb: mb(bytesPerRow * perDay * retentionDays),
    file_size_bytes: file,
    wal_size_bytes: wal,
    tables,
    bytes_per_row: Math.round(bytesPerRow),
    index_size_bytes: backupSidecars(store).reduce((n, f) => n + sizeOf(f), 0),
    archive_size_bytes: archives.bytes,
    archive_files: archives.files,
    backup_size_bytes: backups.bytes,
    rows_per_day: round(perDay),
    growth_mb_per_day: mb(bytesPerRow * perDay),
  }
}

/** The review's `check_storage_alerts`: status OK / WARNING / CRITICAL against size thresholds in MB. */
export async function checkStorageAlerts(
  store: Store,
  thresholds: { warningMb?: number; criticalMb?: number } = {},
): Promise<StorageStats & { status: 'OK' | 'WARNING' | 'CRITICAL'; alerts: string[] }> {
  const { warningMb, criticalMb } = checkSizeThresholds(
    thresholds.warningMb ?? 500,
    thresholds.criticalMb ?? 1000,
  )
  const stats = await getStorageStats(store)
  const size = stats.database_size_mb
  if (size >= criticalMb) {
    return {
      status: 'CRITICAL',
      alerts: [`Database size (${size} MB) exceeds critical threshold (${criticalMb} MB)`],
      ...stats,
    }
  }
  if (size >= warningMb) {
    return {
      status: 'WARNING',
      alerts: [`Database size (${size} MB) exceeds warning threshold (${warningMb} MB)`],
      ...stats,
    }
  }
  return { status: 'OK', alerts: [], ...stats }
}

/** Warning and critical sizes: positive finite numbers, warning below critical. */
export function checkSizeThresholds(
  warningMb: unknown,
  criticalMb: unknown,
): { warningMb: number; criticalMb: number } {
  for (const [name, v] of [
    ['warningMb', warningMb],
    ['criticalMb', criticalMb],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)
      throw invalidInput(`${name} must be a positive number, got ${JSON.stringify(v)}`)
  }
  if ((warningMb as number) >= (criticalMb as number)) {
    throw invalidInput(
      `warningMb must be below criticalMb, got warningMb ${warningMb} >= criticalMb ${criticalMb}`,
    )
  }
  return { warningMb: warningMb as number, criticalMb: criticalMb as number }
}

function sizeOf(path: string): number {
  try {
    return path === ':memory:' ? 0 : statSync(path).size
  } catch {
    return 0
  }
}

function folderSize(dir: string): { bytes: number; files: number } {
  if (!existsSync(dir)) return { bytes: 0, files: 0 }
  let bytes = 0
  let files = 0
  for (const name of readdirSync(dir)) {
    const s = statSync(join(dir, name))
    if (s.isFile()) {
      bytes += s.size
      files++
    }
  }
  return { bytes, files }
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
