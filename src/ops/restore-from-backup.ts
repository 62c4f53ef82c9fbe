import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { DuckDBInstance } from '@duckdb/node-api'
import { openDatabase } from '../db/open-database.js'
import { queryRows } from '../db/query-rows.js'
import {
  preRestorePath,
  type RestoreJournal,
  recoverInterruptedRestore,
  restoreJournalPath,
} from '../db/restore-journal.js'
import { errorMessage, LearningError } from '../errors.js'
import { indexPaths } from '../search/index-files.js'
import { isStoreOpen, openStore } from '../store.js'
import { BACKUP_FILE, readBackupManifest } from './backup-manifest.js'
import { removeStaleSidecars, restoreSidecars } from './backup-sidecars.js'
import { commitFile, fsyncDir, writeFileDurably } from './durable-file.js'
import { logMaintenance } from './maintenance-log.js'
import { resolveInRoot } from './safe-path.js'
import { validateBackup } from './validate-backup.js'

/** Options of `restoreFromBackup`. */
export interface RestoreOptions {
  /** The database file to replace; it must not be open (in this process or another). */
  path: string
  /** Root the backup path is resolved against. Default: the database's folder. */
  dataDir?: string
  /** Validate the backup first (refuse a bad one). Default true. */
  validate?: boolean
  /** Called at each step (crash tests stop the process here). */
  onProgress?: (
    step: 'validated' | 'copied' | 'swapped' | 'verified',
    detail: Record<string, unknown>,
  ) => void | Promise<void>
}

/** What `restoreFromBackup` did. */
export interface RestoreReport {
  path: string
  backup: string
  pre_restore: string | null
  record_count: number
  /** Files restored beside the database (the vector index). */
  sidecars: string[]
  duration_ms: number
}

/**
 * Replace a closed database file with a backup: validate it, copy it beside the live file, keep the current file
 * as `<path>.pre_restore`, swap by rename, open and check the counts, and put the previous file back if anything
 * fails. A journal makes a killed restore roll back at the next open. Refuses while the file is open here or locked
 * by another process.
 * @example
 * await store.close()
 * await restoreFromBackup('backups/learning_db_backup_20260101_020000.duckdb', { path: 'data/learning.duckdb' })
 */
export async function restoreFromBackup(file: string, options: RestoreOptions): Promise<RestoreReport> {
  const started = Date.now()
  const path = resolve(options.path)
  const backup = resolveInRoot(options.dataDir ?? dirname(path), file, {
    field: 'file',
    livePath: path,
    pattern: BACKUP_FILE,
    patternName: 'a backup (learning_db_backup_YYYYMMDD_HHMMSS.duckdb)',
  })
  const progress = options.onProgress ?? (() => undefined)
  if (isStoreOpen(path)) {
    throw new LearningError(
      'conflict',
      `database ${path} is open in this process: close every store on it before restoring`,
    )
  }
  recoverInterruptedRestore(path, { ownRestore: true })
  await assertNotLocked(path)
  const manifest = readBackupManifest(backup)
  if (options.validate !== false) {
    const check = await validateBackup(backup)
    if (!check.valid) {
      throw new LearningError(
        'invalid_input',
        `backup ${backup} is not valid, nothing was restored: ${check.problems.join('; ')}`,
      )
    }
  }
  await progress('validated', { backup })
  const journal: RestoreJournal = {
    state: 'copying',
    backup,
    started_at: new Date().toISOString(),
    pid: process.pid,
  }
  const journalPath = restoreJournalPath(path)
  writeFileDurably(journalPath, JSON.stringify(journal))
  const staging = `${path}.restoring`
  copyFileSync(backup, `${staging}.tmp`)
  commitFile(`${staging}.tmp`, staging)
  await progress('copied', { staging })
  writeFileDurably(journalPath, JSON.stringify({ ...journal, state: 'swapping' }))
  const pre = preRestorePath(path)
  const hadLive = existsSync(path)
  rmSync(pre, { force: true })
  rmSync(`${pre}.wal`, { force: true })
  if (hadLive) renameSync(path, pre)
  if (existsSync(`${path}.wal`)) renameSync(`${path}.wal`, `${pre}.wal`)
  renameSync(staging, path)
  // The vector index files come back with the database (a missing or stale one is rebuilt at open).
  const sidecars = restoreSidecars(backup, manifest, path)
  const live = indexPaths(path)
  removeStaleSidecars(
    path,
    [live.index, live.keys, live.meta].map((p) => p.slice(path.length)),
    sidecars,
  )
  fsyncDir(dirname(path))
  await progress('swapped', { path })
  let record_count: number
  try {
    const store = await openStore({ path, dataDir: options.dataDir ?? dirname(path) })
    try {
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      record_count = row?.n ?? 0
      const expected = manifest.tables.executions?.rows
      if (record_count !== expected)
        throw new Error(`restored database has ${record_count} executions, backup manifest says ${expected}`)
      await store.withWriter((conn) =>
        logMaintenance(conn, {
          started_at: new Date(started),
          job: 'restore',
          status: 'ok',
          rows_affected: record_count,
          detail: { backup, pre_restore: hadLive ? pre : null },
        }),
      )
    } finally {
      await store.close()
    }
  } catch (error) {
    // Leaving the journal in 'swapping' state makes recovery put the previous file back.
    recoverInterruptedRestore(path, { ownRestore: true })
    throw new LearningError(
      'internal',
      `restore failed and was rolled back to the previous database: ${errorMessage(error)}`,
      {
        cause: error,
      },
    )
  }
  rmSync(journalPath, { force: true })
  fsyncDir(dirname(path))
  await progress('verified', { record_count })
  return {
    path,
    backup,
    pre_restore: hadLive ? pre : null,
    record_count,
    sidecars,
    duration_ms: Date.now() - started,
  }
}

/** Refuse when another process holds the file: open it for writing for a moment (DuckDB takes the lock then). */
async function assertNotLocked(path: string): Promise<void> {
  if (!existsSync(path)) return
  let instance: DuckDBInstance | undefined
  try {
    instance = await openDatabase(path, { readOnly: false, memoryLimit: '256MB', threads: 1 })
  } catch (error) {
    if (error instanceof LearningError && error.code === 'unavailable') {
      throw new LearningError('unavailable', `cannot restore: ${error.message}`, { cause: error })
    }
    throw error
  } finally {
    instance?.closeSync()
  }
}
