import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
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
import { commitFile, copyFileFlushed, writeFileDurably } from './durable-file.js'
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
  /** Copy the live rows into a fresh file (slower; the backup has no free blocks: restoring it compacts). */
  compact?: boolean
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
  /** Longest time the backup held the writer (the WAL copy, or the maintenance-log insert after the backup). */
  writer_pause_ms: number
}

/**
 * DuckDB threads the backup's own queries may use. On every thread, the copy (or the checks of a copy) starved
 * the writer's commits on 2 cores (acknowledgements stalled 3.5 s at 1M rows); on one, the writer keeps a core.
 */
const BACKUP_THREADS = 1

/** What a copy leaves for the manifest. */
interface Snapshot {
  tables: BackupManifest['tables']
  version: number
  embedder: string | null
  duckdb: string
}

/**
 * Make an online, consistent copy of the database while writers keep writing, synced, renamed into place and
 * described by a manifest (schema version, row counts and checksums per table, SHA-256, embedder). A backup
 * without its manifest is never valid.
 *
 * By default the file itself is copied with its WAL, while checkpoints are held so that the file does not
 * change: the writer waits only while the WAL is copied (see copyStillFile).
 * With `compact: true` the live rows are copied into a fresh file instead (`COPY FROM DATABASE` from a reader's
 * snapshot): slower, but the backup holds no free blocks, so backup + restore shrinks a file retention left large.
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
  const alias = `orb_backup_${process.pid}_${started}`
  const { snapshot, writerHeldMs } = options.compact
    ? { snapshot: await copyLiveRows(store, partial, alias), writerHeldMs: 0 }
    : await copyStillFile(store, partial, alias)
  await progress('copied', { file })
  rmSync(`${partial}.wal`, { force: true })
  commitFile(partial, file)
  await progress('synced', { file })
  // Open every sidecar in one synchronous stretch, so that a save of the index (also synchronous, by temp file
  // and rename) cannot land between two of its files; the copies then read what was opened, off the event loop.
  const opened = backupSidecars(store)
    .filter((source) => existsSync(source))
    .map((source) => ({ fd: openSync(source, 'r'), target: sidecarCopyPath(file, source) }))
  const copies: string[] = []
  let next = 0
  try {
    for (; next < opened.length; next++) {
      const { fd, target } = opened[next]!
      await copyFileFlushed(fd, `${target}.partial`)
      copies.push(target)
    }
  } finally {
    // copyFileFlushed closed its own; these were never reached.
    for (const { fd } of opened.slice(next + 1)) closeSync(fd)
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

/**
 * Copy the database file and its WAL as one snapshot, without a checkpoint: while checkpoints are held the file
 * does not change, so the WAL copied while holding the writer (with every table's row count at that moment)
 * plus the file copied after it is the state of that moment. The copy then replays its WAL and checkpoints in
 * its own attachment, and must hold exactly the counted rows. The writer is held for the WAL copy only.
 */
async function copyStillFile(
  store: Store,
  partial: string,
  alias: string,
): Promise<{ snapshot: Snapshot; writerHeldMs: number }> {
  let writerHeldMs = 0
  const counts = await store.holdCheckpoints(async () => {
    const atCut = await store.withWriter(async (writer) => {
      const held = Date.now()
      // In the libuv pool: the event loop keeps accepting writes meanwhile (they queue for the writer).
      if (existsSync(`${store.path}.wal`)) await copyFileFlushed(`${store.path}.wal`, `${partial}.wal`)
      const [db] = await queryRows<{ name: string }>(writer, 'SELECT current_database() AS name')
      const rows = await tableRowCounts(writer, db!.name)
      writerHeldMs = Date.now() - held
      return rows
    })
    await copyFileFlushed(store.path, partial)
    return atCut
  })
  const snapshot = await store.read(async (conn) => {
    await conn.run(`ATTACH ${quoteLiteral(partial)} AS ${quoteIdent(alias)}`)
    try {
      return await withThreads(conn, BACKUP_THREADS, () => checkCopy(conn, alias, counts, store.path))
    } finally {
      await conn.run(`DETACH ${quoteIdent(alias)}`)
    }
  })
  return { snapshot, writerHeldMs }
}

/** Replay the copy's WAL into it, then checksum it; it must hold exactly `counts` rows per table. */
async function checkCopy(
  conn: DuckDBConnection,
  alias: string,
  counts: Record<string, number>,
  source: string,
): Promise<Snapshot> {
  await conn.run(`CHECKPOINT ${quoteIdent(alias)}`)
  const tables = await tableChecksums(conn, alias)
  for (const [name, rows] of Object.entries(counts)) {
    if (tables[name]?.rows !== rows)
      throw new LearningError(
        'internal',
        `backup copy of ${source} does not match the moment it was taken: table ${name} has ${tables[name]?.rows ?? 'no'} rows, expected ${rows}`,
      )
  }
  return { tables, ...(await describe(conn)) }
}

/** Copy the live rows of a reader's snapshot into a fresh file (`COPY FROM DATABASE`). */
async function copyLiveRows(store: Store, partial: string, alias: string): Promise<Snapshot> {
  return store.read(async (conn) => {
    const [db] = await queryRows<{ name: string }>(conn, 'SELECT current_database() AS name')
    await conn.run(`ATTACH ${quoteLiteral(partial)} AS ${quoteIdent(alias)}`)
    try {
      return await withThreads(conn, BACKUP_THREADS, async () => {
        await conn.run('BEGIN TRANSACTION')
        try {
          await conn.run(`COPY FROM DATABASE ${quoteIdent(db!.name)} TO ${quoteIdent(alias)}`)
          const snapshot = { tables: await tableChecksums(conn, db!.name), ...(await describe(conn)) }
          await conn.run('COMMIT')
          return snapshot
        } catch (error) {
          await conn.run('ROLLBACK')
          throw error
        }
      })
    } finally {
      await conn.run(`DETACH ${quoteIdent(alias)}`)
    }
  })
}

/** Run `fn` with DuckDB's thread count (an instance-wide setting) at `threads`; the setting is restored after. */
async function withThreads<T>(conn: DuckDBConnection, threads: number, fn: () => Promise<T>): Promise<T> {
  const [current] = await queryRows<{ t: number }>(conn, "SELECT current_setting('threads')::INTEGER AS t")
  await conn.run(`SET threads = ${threads}`)
  try {
    return await fn()
  } finally {
    await conn.run(`SET threads = ${Number(current!.t)}`)
  }
}

/** Schema version, embedder and DuckDB version of the live database, for the manifest. */
async function describe(conn: DuckDBConnection): Promise<Omit<Snapshot, 'tables'>> {
  const version = await schemaVersion(conn)
  const embedder = (await getMetadata(conn, 'embedder_id')) ?? null
  const [v] = await queryRows<{ v: string }>(conn, 'SELECT version() AS v')
  return { version, embedder, duckdb: v?.v ?? 'unknown' }
}

/** `learning_db_backup_YYYYMMDD_HHMMSS.duckdb` (UTC), with `_2`, `_3`... if that second is taken. */
function freeName(dir: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replaceAll('-', '').replace('T', '_').replaceAll(':', '')
  for (let n = 1; ; n++) {
    const file = join(dir, `learning_db_backup_${stamp}${n === 1 ? '' : `_${n}`}.duckdb`)
    if (!existsSync(file) && !existsSync(backupManifestPath(file))) return file
  }
}
