import { dirname, join } from 'node:path'
import { queryRows } from '../db/query-rows.js'
import { LearningError } from '../errors.js'
import { EXECUTION_COLUMNS } from '../record.js'
import type { Store } from '../store.js'
import {
  ARCHIVE_FILE,
  type ArchiveEntry,
  listArchiveDir,
  manifestPathOf,
  quoteIdent,
  readArchiveManifest,
  verifyArchiveFile,
} from './archive-manifest.js'
import { logMaintenance } from './maintenance-log.js'
import { resolveInRoot } from './safe-path.js'
import { tableColumns, tableExists } from './table-catalog.js'

/** What `restoreArchive` put back. */
export interface ArchiveRestoreResult {
  manifest: string
  /** Rows inserted per table. */
  restored: Record<string, number>
  /** Rows already present (a second restore inserts nothing). */
  skipped: Record<string, number>
}

/** The archives of a store's archive directory, complete ones first as written, with incomplete leftovers flagged. */
export function listArchives(store: Store, options: { archiveDir?: string } = {}): ArchiveEntry[] {
  const dir = resolveInRoot(store.config.dataDir, options.archiveDir ?? 'archive', {
    field: 'archiveDir',
    livePath: store.path,
  })
  return listArchiveDir(dir)
}

/**
 * Re-import an archive (its manifest or its executions Parquet file) after verifying it; rows whose key is
 * already present are skipped, so restoring twice is harmless.
 * @example
 * await restoreArchive(store, 'archive/executions_20260101_20260331.manifest.json')
 */
export async function restoreArchive(store: Store, file: string): Promise<ArchiveRestoreResult> {
  const started = new Date()
  const path = resolveInRoot(store.config.dataDir, file, {
    field: 'file',
    livePath: store.path,
    pattern: ARCHIVE_FILE,
    patternName: 'an archive (executions_YYYYMMDD_YYYYMMDD.manifest.json or .parquet)',
  })
  const manifestPath = manifestPathOf(path)
  const manifest = readArchiveManifest(manifestPath)
  const dir = dirname(manifestPath)
  return store.withWriter(async (conn) => {
    const problems: string[] = []
    for (const t of manifest.tables)
      problems.push(...(await verifyArchiveFile(conn, join(dir, t.file), t, [t.key])))
    if (problems.length > 0) {
      throw new LearningError(
        'invalid_input',
        `archive ${manifestPath} failed verification: ${problems.join('; ')}`,
      )
    }
    const restored: Record<string, number> = {}
    const skipped: Record<string, number> = {}
    await conn.run('BEGIN TRANSACTION')
    try {
      for (const t of manifest.tables) {
        if (!(await tableExists(conn, t.table))) {
          throw new LearningError(
            'conflict',
            `archive holds ${t.table} rows but this database has no ${t.table} table`,
          )
        }
        const live = await tableColumns(conn, t.table)
        const fileCols = (
          await queryRows<{ column_name: string }>(
            conn,
            'SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($f))',
            {
              f: join(dir, t.file),
            },
          )
        ).map((c) => c.column_name)
        const insertable = t.table === 'executions' ? [...EXECUTION_COLUMNS] : live
        const cols = insertable.filter((c) => fileCols.includes(c))
        // Parquet turns FLOAT[384] into FLOAT[]: cast it back.
        const exprs = cols.map((c) => (c === 'embedding' ? 'embedding::FLOAT[384]' : quoteIdent(c)))
        const reader = await conn.run(
          `INSERT INTO ${quoteIdent(t.table)} (${cols.map(quoteIdent).join(', ')})
           SELECT ${exprs.join(', ')} FROM read_parquet($f) ON CONFLICT DO NOTHING`,
          { f: join(dir, t.file) },
        )
        restored[t.table] = Number(reader.rowsChanged)
        skipped[t.table] = t.rows - restored[t.table]!
      }
      await logMaintenance(conn, {
        started_at: started,
        job: 'archive_restore',
        status: 'ok',
        rows_affected: restored.executions ?? 0,
        detail: { manifest: manifestPath, restored, skipped },
      })
      await conn.run('COMMIT')
    } catch (error) {
      await conn.run('ROLLBACK')
      throw error
    }
    return { manifest: manifestPath, restored, skipped }
  })
}
