import { copyFileSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { copyFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { getMetadata } from '../db/metadata-table.js'
import { schemaVersion } from '../db/migrations.js'
import { queryRows } from '../db/query-rows.js'
import { LearningError } from '../errors.js'
import type { Store } from '../store.js'
import { quoteIdent, quoteLiteral } from './archive-manifest.js'
import {
  type BackupManifest,
  backupManifestPath,
  sha256File,
  tableChecksums,
  tableRowCounts,
} from './backup-manifest.js'
import { backupSidecars, sidecarCopyPath } from './backup-sidecars.js'
import { commitFile, writeFileDurably } from './durable-file.js'
import { logMaintenance } from './maintenance-log.js'
import { resolveInRoot } from './safe-path.js'

/** The steps of a backup, reported to `onProgress` in this order. */
export type BackupStep = 'copying' | 'copied' | 'synced' | 'done'

/** Options of `backupDatabase`. */
export interface BackupOptions {
  /** Where backups go, relative to the data directory. Default 'backups'. */
  dir?: string
  /** The clock (names the file). Default `new Date()`. */
  now?: Date
  /** Called at each step (progress bars; crash tests stop the process here). */
  onProgress?: (step: BackupStep, detail: Record<string, unknown>) => void | Promise<void>
}

/** What `backupDatabase` wrote. */
export interface BackupReport {
  file: string
  manifest: string
  bytes: number
  record_count: number
  tables: BackupManifest['tables']
  duration_ms: number
  /** Longest time the backup held the writer (the checkpoint before the copy, or the maintenance-log insert). */
  writer_pause_ms: number
}

/**
 * Make an online, consistent copy of the database while writers keep writing: the WAL is folded into the file
 * (one CHECKPOINT, the writer held for its duration), and the file is copied while it stays still (commits go
 * on into the WAL; no checkpoint runs until the copy is done). The copy is then opened read-only and checked
 * against the row counts taken at that checkpoint, synced, renamed into place and described by a manifest
 * (schema version, row counts and checksums per table, SHA-256, embedder). A backup without its manifest is
 * never valid.
 * @example
 * const { file } = await backupDatabase(store)   // data/backups/learning_db_backup_20260101_020000.duckdb
 */
export async function backupDatabase(store: Store, options: BackupOptions = {}): Promise<BackupReport> {
  if (store.path === ':memory:')
    throw new LearningError('invalid_input', 'an in-memory store cannot be backed up')
  const started = Date.now()
  const dir = resolveInRoot(store.config.dataDir, options.dir ?? 'backups', {
    field: 'dir',
    livePath: store.path,
  })
  mkdirSync(dir, { recursive: true })
  const file = freeName(dir, options.now ?? new Date())
  const partial = `${file}.partial`
  const progress = options.onProgress ?? (() => undefined)
  rmSync(partial, { force: true })
  rmSync(`${partial}.wal`, { force: true })
  await progress('copying', { file })
  const holding = Date.now()
  let writerHeldMs = 0
  const counts = await store.withFileStill(
    async (writer) => {
      const [db] = await queryRows<{ name: string }>(writer, 'SELECT current_database() AS name')
      return tableRowCounts(writer, db!.name)
    },
    async (atCheckpoint) => {
      // The checkpoint, with the wait for the batch in flight to commit.
      writerHeldMs = Date.now() - holding
      // In the libuv pool (copy_file_range on Linux): the event loop keeps acknowledging writes meanwhile.
      await copyFile(store.path, partial)
      return atCheckpoint
    },
  )
  const snapshot = await store.read(async (conn) => {
    const alias = `orb_backup_${process.pid}_${started}`
    await conn.run(`ATTACH ${quoteLiteral(partial)} AS ${quoteIdent(alias)} (READ_ONLY)`)
    try {
      const tables = await tableChecksums(conn, alias)
      for (const [name, rows] of Object.entries(counts)) {
        if (tables[name]?.rows !== rows)
          throw new LearningError(
            'internal',
            `backup copy of ${store.path} does not match its checkpoint: table ${name} has ${tables[name]?.rows ?? 'no'} rows, expected ${rows}`,
          )
      }
      const version = await schemaVersion(conn)
      const embedder = (await getMetadata(conn, 'embedder_id')) ?? null
      const [v] = await queryRows<{ v: string }>(conn, 'SELECT version() AS v')
      return { tables, version, embedder, duckdb: v?.v ?? 'unknown' }
    } finally {
      await conn.run(`DETACH ${quoteIdent(alias)}`)
    }
  })
  await progress('copied', { file })
  rmSync(`${partial}.wal`, { force: true })
  commitFile(partial, file)
  await progress('synced', { file })
  // Copy every sidecar before hashing any: the copies are made in one synchronous stretch, so a save of the
  // index (also synchronous) cannot land between two of its files.
  const copies: string[] = []
  for (const source of backupSidecars(store)) {
    if (!existsSync(source)) continue
    const target = sidecarCopyPath(file, source)
    copyFileSync(source, `${target}.partial`)
    copies.push(target)
  }
  const sidecars = []
  for (const target of copies) {
    commitFile(`${target}.partial`, target)
    sidecars.push({ file: basename(target), bytes: statSync(target).size, sha256: await sha256File(target) })
  }
  const manifest: BackupManifest = {
    format: 'orb-learning-backup/1',
    file: basename(file),
    created_at: new Date().toISOString(),
    source: basename(store.path),
    schema_version: snapshot.version,
    embedder_id: snapshot.embedder,
    duckdb_version: snapshot.duckdb,
    bytes: statSync(file).size,
    sha256: await sha256File(file),
    tables: snapshot.tables,
    sidecars,
  }
  writeFileDurably(backupManifestPath(file), JSON.stringify(manifest, null, 2))
  const record_count = snapshot.tables.executions?.rows ?? 0
  const pauseStart = Date.now()
  await store.withWriter((conn) =>
    logMaintenance(conn, {
      started_at: new Date(started),
      job: 'backup',
      status: 'ok',
      rows_affected: record_count,
      detail: { file, bytes: manifest.bytes },
    }),
  )
  const writer_pause_ms = Math.max(writerHeldMs, Date.now() - pauseStart)
  await progress('done', { file })
  return {
    file,
    manifest: backupManifestPath(file),
    bytes: manifest.bytes,
    record_count,
    tables: manifest.tables,
    duration_ms: Date.now() - started,
    writer_pause_ms,
  }
}

/** `learning_db_backup_YYYYMMDD_HHMMSS.duckdb` (UTC), with `_2`, `_3`... if that second is taken. */
function freeName(dir: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replaceAll('-', '').replace('T', '_').replaceAll(':', '')
  for (let n = 1; ; n++) {
    const file = join(dir, `learning_db_backup_${stamp}${n === 1 ? '' : `_${n}`}.duckdb`)
    if (!existsSync(file) && !existsSync(backupManifestPath(file))) return file
  }
}
