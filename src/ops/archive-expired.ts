import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from '../db/query-rows.js'
import { LearningError } from '../errors.js'
import { EXECUTION_COLUMNS } from '../record.js'
import type { Store } from '../store.js'
import {
  type ArchivedTable,
  type ArchiveManifest,
  type ArchiveTableFile,
  quoteIdent,
  quoteLiteral,
  verifyArchiveFile,
} from './archive-manifest.js'
import { runDeletionHooks } from './deletion-hooks.js'
import { commitFile, fsyncDir, writeFileDurably } from './durable-file.js'
import { logMaintenance } from './maintenance-log.js'
import { checkRetentionDays } from './retention-input.js'
import { resolveInRoot } from './safe-path.js'
import { primaryKeyOf, tableColumns, tableExists } from './table-catalog.js'

/** The steps of a retention run, reported to `onProgress` in this order. */
export type RetentionStep = 'selecting' | 'writing' | 'written' | 'verified' | 'deleted' | 'checkpointed'

/** Options of `archiveExpired`. */
export interface ArchiveOptions {
  /** Keep executions younger than this many days (1..3650). Default 90. */
  days?: number
  /** Where archives go, relative to the data directory. Default 'archive'. */
  archiveDir?: string
  /** Write a verified archive before deleting. `false` must be asked for and is logged. Default true. */
  archive?: boolean
  /** Confirms `days: 0` (everything older than now is expired). */
  allExpired?: boolean
  /** The clock; tests move it. Default `new Date()`. */
  now?: Date
  /** Called at each step (progress bars; crash tests stop the process here). */
  onProgress?: (step: RetentionStep, detail: Record<string, unknown>) => void | Promise<void>
}

/** What a retention run did; the first three fields are the review's `cleanup_old_executions` result. */
export interface RetentionResult {
  archived_count: number
  deleted_count: number
  days_cleaned: number
  archive_file: string | null
  archive_files: string[]
  feedback_count: number
  routing_decision_count: number
  bytes: number
  duration_ms: number
  cutoff: string
  hook_failures: string[]
}

interface TablePlan {
  table: ArchivedTable
  key: string
  columns: string[]
  select: string
}

/**
 * Move executions older than `days` (and their feedback and routing decisions) into a verified ZSTD Parquet
 * archive, then delete them in one transaction and checkpoint. Nothing is deleted unless the archive re-reads
 * with the same row count, key checksum and columns. A second run is a no-op.
 * @example
 * const r = await archiveExpired(store, { days: 90 })
 * console.log(r.archived_count, r.archive_file)
 */
export async function archiveExpired(store: Store, options: ArchiveOptions = {}): Promise<RetentionResult> {
  const started = Date.now()
  const days = checkRetentionDays(options.days ?? 90, options.allExpired === true)
  const doArchive = options.archive ?? true
  if (typeof doArchive !== 'boolean')
    throw new LearningError(
      'invalid_input',
      `archive must be true or false, got ${JSON.stringify(doArchive)}`,
    )
  const now = options.now ?? new Date()
  const cutoff = new Date(now.getTime() - days * 86_400_000)
  const cutoffSql = cutoff.toISOString().replace('Z', '')
  const dir = resolveInRoot(store.config.dataDir, options.archiveDir ?? 'archive', {
    field: 'archiveDir',
    livePath: store.path,
  })
  const progress = options.onProgress ?? (() => undefined)
  await progress('selecting', { cutoff: cutoff.toISOString() })

  const snapshot = await store.read((conn) => writeSnapshot(conn, dir, cutoffSql, days, doArchive, progress))
  const result: RetentionResult = {
    archived_count: 0,
    deleted_count: 0,
    days_cleaned: days,
    archive_file: null,
    archive_files: [],
    feedback_count: 0,
    routing_decision_count: 0,
    bytes: 0,
    duration_ms: 0,
    cutoff: cutoff.toISOString(),
    hook_failures: [],
  }
  if (snapshot === undefined) {
    result.duration_ms = Date.now() - started
    return result
  }
  const { manifest, plans, keysFile } = snapshot
  if (doArchive) {
    result.archive_files = manifest.tables.map((t) => join(dir, t.file))
    result.archive_file = result.archive_files[0] ?? null
    result.archived_count = manifest.tables.find((t) => t.table === 'executions')?.rows ?? 0
    result.bytes = manifest.tables.reduce((n, t) => n + t.bytes, 0)
  }
  result.feedback_count = manifest.tables.find((t) => t.table === 'feedback')?.rows ?? 0
  result.routing_decision_count = manifest.tables.find((t) => t.table === 'routing_decisions')?.rows ?? 0

  const deletedIds = await store.withWriter(async (conn) => {
    await conn.run('BEGIN TRANSACTION')
    try {
      const counts: Record<string, number> = {}
      // Children first; each deletes only rows that are in the verified archive (or key list).
      for (const plan of [...plans].reverse()) {
        const source = keysFile[plan.table]!
        const reader = await conn.run(
          `DELETE FROM ${quoteIdent(plan.table)} WHERE ${quoteIdent(plan.key)} IN
           (SELECT ${quoteIdent(plan.key)} FROM read_parquet($file))${plan.table === 'executions' ? ' AND timestamp < $cutoff' : ''}`,
          plan.table === 'executions' ? { file: source, cutoff: cutoffSql } : { file: source },
        )
        counts[plan.table] = Number(reader.rowsChanged)
      }
      await logMaintenance(conn, {
        started_at: new Date(started),
        job: 'retention',
        status: doArchive ? 'ok' : 'warning',
        rows_affected: counts.executions ?? 0,
        detail: {
          days,
          cutoff: cutoff.toISOString(),
          archive: doArchive,
          files: result.archive_files,
          deleted: counts,
        },
      })
      await conn.run('COMMIT')
      result.deleted_count = counts.executions ?? 0
    } catch (error) {
      await conn.run('ROLLBACK')
      throw new LearningError(
        'internal',
        `retention delete failed, nothing was deleted: ${(error as Error).message}`,
        {
          cause: error,
        },
      )
    }
    const ids = await queryRows<{ id: string }>(
      conn,
      'SELECT task_id::VARCHAR AS id FROM read_parquet($file)',
      {
        file: keysFile.executions!,
      },
    )
    return ids.map((r) => r.id)
  })
  if (!doArchive) for (const f of Object.values(keysFile)) rmSync(f, { force: true })
  await progress('deleted', { deleted_count: result.deleted_count })
  result.hook_failures = await runDeletionHooks(store, { task_ids: deletedIds, cutoff })
  // During an online backup the file must not change: the next idle checkpoint reclaims the space then.
  await store.checkpoint()
  await progress('checkpointed', {})
  result.duration_ms = Date.now() - started
  return result
}

/** Inside one read snapshot: plan, write each table's Parquet file under a temp name, commit and verify them. */
async function writeSnapshot(
  conn: DuckDBConnection,
  dir: string,
  cutoff: string,
  days: number,
  doArchive: boolean,
  progress: NonNullable<ArchiveOptions['onProgress']>,
): Promise<
  | { manifest: ArchiveManifest; plans: TablePlan[]; keysFile: Partial<Record<ArchivedTable, string>> }
  | undefined
> {
  await conn.run('BEGIN TRANSACTION')
  try {
    const [span] = await queryRows<{ n: number; first: Date | null; last: Date | null }>(
      conn,
      'SELECT count(*) AS n, min(timestamp) AS first, max(timestamp) AS last FROM executions WHERE timestamp < $cutoff',
      { cutoff },
    )
    if (!span || span.n === 0 || !span.first || !span.last) return undefined
    const plans = await planTables(conn)
    mkdirSync(dir, { recursive: true })
    const stem = doArchive ? freeStem(dir, span.first, span.last) : `.unarchived_${Date.now()}_${process.pid}`
    const files: ArchiveTableFile[] = []
    const keysFile: Partial<Record<ArchivedTable, string>> = {}
    await progress('writing', { rows: span.n, stem })
    for (const plan of plans) {
      const file = plan.table === 'executions' ? `${stem}.parquet` : `${stem}.${plan.table}.parquet`
      const final = join(dir, file)
      const tmp = `${final}.tmp`
      rmSync(tmp, { force: true })
      const select = doArchive ? plan.select : `SELECT ${quoteIdent(plan.key)} FROM (${plan.select})`
      await conn.run(
        `COPY (${select}) TO ${quoteLiteral(tmp)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`,
        { cutoff },
      )
      const [expected] = await queryRows<{ n: number; c: bigint | null }>(
        conn,
        `SELECT count(*) AS n, bit_xor(hash(${quoteIdent(plan.key)}::VARCHAR)) AS c FROM (${plan.select})`,
        { cutoff },
      )
      commitFile(tmp, final)
      keysFile[plan.table] = final
      files.push({
        table: plan.table,
        file,
        rows: expected?.n ?? 0,
        key: plan.key,
        checksum: String(expected?.c ?? 0),
        bytes: statSync(final).size,
      })
    }
    await progress('written', { files: files.map((f) => f.file) })
    const problems: string[] = []
    for (const [i, f] of files.entries()) {
      problems.push(
        ...(await verifyArchiveFile(conn, join(dir, f.file), f, doArchive ? plans[i]!.columns : [f.key])),
      )
    }
    if (problems.length > 0) {
      throw new LearningError(
        'internal',
        `archive verification failed, nothing was deleted: ${problems.join('; ')}`,
      )
    }
    const manifest: ArchiveManifest = {
      format: 'orb-learning-archive/1',
      created_at: new Date().toISOString(),
      cutoff: `${cutoff}Z`,
      days,
      first_timestamp: span.first.toISOString(),
      last_timestamp: span.last.toISOString(),
      tables: files,
    }
    if (doArchive) writeFileDurably(join(dir, `${stem}.manifest.json`), JSON.stringify(manifest, null, 2))
    fsyncDir(dir)
    await progress('verified', { stem })
    return { manifest, plans, keysFile }
  } finally {
    await conn.run('COMMIT')
  }
}

/** The tables to archive (routing_decisions only where that module's table exists) and their SELECTs. */
async function planTables(conn: DuckDBConnection): Promise<TablePlan[]> {
  const expired = 'SELECT task_id FROM executions WHERE timestamp < $cutoff'
  const plans: TablePlan[] = [
    {
      table: 'executions',
      key: 'task_id',
      columns: [...EXECUTION_COLUMNS],
      select: `SELECT ${EXECUTION_COLUMNS.map(quoteIdent).join(', ')} FROM executions WHERE timestamp < $cutoff`,
    },
  ]
  for (const table of ['feedback', 'routing_decisions'] as const) {
    if (!(await tableExists(conn, table))) continue
    const columns = await tableColumns(conn, table)
    const key = await primaryKeyOf(conn, table)
    if (!columns.includes('task_id') || key === undefined) continue
    plans.push({
      table,
      key,
      columns,
      select: `SELECT * FROM ${quoteIdent(table)} WHERE task_id IN (${expired})`,
    })
  }
  return plans
}

/** `executions_FIRST_LAST`, with `_2`, `_3`... when a complete archive of that span exists already. */
function freeStem(dir: string, first: Date, last: Date): string {
  const day = (d: Date) => d.toISOString().slice(0, 10).replaceAll('-', '')
  const base = `executions_${day(first)}_${day(last)}`
  for (let n = 1; ; n++) {
    const stem = n === 1 ? base : `${base}_${n}`
    try {
      statSync(join(dir, `${stem}.manifest.json`))
    } catch {
      return stem
    }
  }
}

/** The review's name for retention: `cleanup_old_executions(days)` with its result shape. */
export async function cleanupOldExecutions(
  store: Store,
  days = 90,
  options: Omit<ArchiveOptions, 'days'> = {},
): Promise<RetentionResult> {
  return archiveExpired(store, { ...options, days })
}
