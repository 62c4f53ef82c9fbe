import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { BACKUP_FILE, backupManifestPath, readBackupManifest } from './backup-manifest.js'
import { logMaintenance } from './maintenance-log.js'
import { resolveInRoot } from './safe-path.js'

/** One backup as `backups list` shows it. */
export interface BackupEntry {
  file: string
  created_at: string | null
  bytes: number
  record_count: number | null
  /** Manifest present and the file of the size it records (the full check is `validateBackup`). */
  intact: boolean
}

/** Options of `pruneBackups`. */
export interface PruneOptions {
  dir?: string
  /** Keep the newest N backups. Default 7. */
  keepLast?: number
  /** Keep every backup younger than N days. Default 30. */
  keepDays?: number
  now?: Date
  /** List what would go without deleting. */
  dryRun?: boolean
}

/** The backups of a directory, newest first. */
export function listBackupDir(dir: string): BackupEntry[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => BACKUP_FILE.test(name))
    .map((name) => {
      const file = join(dir, name)
      const bytes = statSync(file).size
      try {
        const m = readBackupManifest(file)
        return {
          file,
          created_at: m.created_at,
          bytes,
          record_count: m.tables.executions?.rows ?? null,
          intact: m.bytes === bytes,
        }
      } catch {
        return { file, created_at: null, bytes, record_count: null, intact: false }
      }
    })
    .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? '') || b.file.localeCompare(a.file))
}

/** The backups of a store's backup directory, newest first. */
export function listBackups(store: Store, options: { dir?: string } = {}): BackupEntry[] {
  return listBackupDir(
    resolveInRoot(store.config.dataDir, options.dir ?? 'backups', { field: 'dir', livePath: store.path }),
  )
}

/**
 * Delete old backups: keep the newest `keepLast` and every one younger than `keepDays`, and never delete the
 * newest intact backup (even when it is old). Backups without a manifest older than a day are removed too.
 */
export async function pruneBackups(
  store: Store,
  options: PruneOptions = {},
): Promise<{ kept: string[]; deleted: string[] }> {
  const keepLast = checkCount('keepLast', options.keepLast ?? 7, 1, 10_000)
  const keepDays = checkCount('keepDays', options.keepDays ?? 30, 0, 3650)
  const now = (options.now ?? new Date()).getTime()
  const entries = listBackups(store, { dir: options.dir })
  const newestIntact = entries.find((e) => e.intact)
  const kept: string[] = []
  const deleted: string[] = []
  entries.forEach((e, i) => {
    const age = (now - (e.created_at ? Date.parse(e.created_at) : statSync(e.file).mtimeMs)) / 86_400_000
    const keep =
      e === newestIntact || (e.intact && (i < keepLast || age < keepDays)) || (!e.intact && age < 1)
    ;(keep ? kept : deleted).push(e.file)
  })
  if (!options.dryRun) {
    for (const file of deleted) {
      for (const f of [file, backupManifestPath(file), `${file}.wal`]) rmSync(f, { force: true })
    }
    await store.withWriter((conn) =>
      logMaintenance(conn, {
        started_at: new Date(now),
        job: 'backup_prune',
        status: 'ok',
        rows_affected: deleted.length,
        detail: { deleted },
      }),
    )
  }
  return { kept, deleted }
}

function checkCount(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidInput(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(value)}`)
  }
  return value
}
