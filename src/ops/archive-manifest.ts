import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from '../db/query-rows.js'
import { LearningError } from '../errors.js'

/** Tables archived by retention, with the column that identifies a row (the checksum is over it). */
export const ARCHIVED_TABLES = ['executions', 'feedback', 'routing_decisions'] as const

/** Name of an archived table. */
export type ArchivedTable = (typeof ARCHIVED_TABLES)[number]

/** One Parquet file of an archive. */
export interface ArchiveTableFile {
  table: ArchivedTable
  file: string
  rows: number
  key: string
  /** bit_xor of hash(key::VARCHAR) over the rows, as a decimal string. */
  checksum: string
  bytes: number
}

/** The manifest written beside an archive once its files are verified: an archive without one is not an archive. */
export interface ArchiveManifest {
  format: 'orb-learning-archive/1'
  created_at: string
  cutoff: string
  days: number
  first_timestamp: string
  last_timestamp: string
  tables: ArchiveTableFile[]
}

/** Archive file names: `executions_YYYYMMDD_YYYYMMDD[_n]` plus `.parquet`, `.<table>.parquet`, `.manifest.json`. */
export const ARCHIVE_STEM = /^executions_\d{8}_\d{8}(_\d+)?$/
/** A manifest or the executions Parquet file of an archive. */
export const ARCHIVE_FILE = /^executions_\d{8}_\d{8}(_\d+)?(\.manifest\.json|\.parquet)$/

/** The manifest path of an archive given its manifest or its executions file. */
export function manifestPathOf(file: string): string {
  return file.endsWith('.manifest.json') ? file : file.replace(/\.parquet$/, '.manifest.json')
}

/** Read and shape-check an archive manifest. */
export function readArchiveManifest(path: string): ArchiveManifest {
  if (!existsSync(path)) throw new LearningError('not_found', `archive manifest ${path} does not exist`)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new LearningError('invalid_input', `archive manifest ${path} is not valid JSON`, { cause: error })
  }
  const m = parsed as ArchiveManifest
  if (m?.format !== 'orb-learning-archive/1' || !Array.isArray(m.tables)) {
    throw new LearningError('invalid_input', `${path} is not an orb-learning archive manifest`)
  }
  return m
}

/** Count, key checksum and columns of a Parquet file, read back from disk. */
export async function inspectParquet(
  conn: DuckDBConnection,
  file: string,
  key: string,
): Promise<{ rows: number; checksum: string; columns: string[] }> {
  const [stats] = await queryRows<{ n: number; c: bigint | number | null }>(
    conn,
    `SELECT count(*) AS n, bit_xor(hash(${quoteIdent(key)}::VARCHAR)) AS c FROM read_parquet($file)`,
    { file },
  )
  const columns = await queryRows<{ column_name: string }>(
    conn,
    'SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet($file))',
    { file },
  )
  return { rows: stats?.n ?? 0, checksum: String(stats?.c ?? 0), columns: columns.map((c) => c.column_name) }
}

/** Problems of one archive file against what was (or should have been) written; empty when it is good. */
export async function verifyArchiveFile(
  conn: DuckDBConnection,
  path: string,
  expected: ArchiveTableFile,
  columns: readonly string[],
): Promise<string[]> {
  if (!existsSync(path)) return [`${expected.file} is missing`]
  let seen: Awaited<ReturnType<typeof inspectParquet>>
  try {
    seen = await inspectParquet(conn, path, expected.key)
  } catch (error) {
    return [`${expected.file} cannot be read as Parquet: ${(error as Error).message.split('\n')[0]}`]
  }
  const problems: string[] = []
  if (seen.rows !== expected.rows)
    problems.push(`${expected.file} has ${seen.rows} rows, expected ${expected.rows}`)
  if (seen.checksum !== expected.checksum) {
    problems.push(
      `${expected.file} ${expected.key} checksum is ${seen.checksum}, expected ${expected.checksum}`,
    )
  }
  const missing = columns.filter((c) => !seen.columns.includes(c))
  if (missing.length > 0) problems.push(`${expected.file} lacks columns ${missing.join(', ')}`)
  return problems
}

/** One archive as `archive list` shows it. */
export interface ArchiveEntry {
  manifest: string | null
  status: 'complete' | 'damaged' | 'incomplete'
  first_timestamp: string | null
  last_timestamp: string | null
  rows: Record<string, number>
  bytes: number
  files: string[]
  problems: string[]
}

/** Every archive in a directory: complete ones (manifest and files of the recorded sizes), damaged ones, and
 * incomplete leftovers (Parquet files with no manifest, e.g. from a run that was killed): never counted as archives. */
export function listArchiveDir(dir: string): ArchiveEntry[] {
  if (!existsSync(dir)) return []
  const names = readdirSync(dir).sort()
  const claimed = new Set<string>()
  const entries: ArchiveEntry[] = []
  for (const name of names.filter((n) => n.endsWith('.manifest.json') && ARCHIVE_FILE.test(n))) {
    const path = join(dir, name)
    claimed.add(name)
    try {
      const m = readArchiveManifest(path)
      const problems: string[] = []
      let bytes = 0
      for (const t of m.tables) {
        claimed.add(t.file)
        const file = join(dir, t.file)
        if (!existsSync(file)) problems.push(`${t.file} is missing`)
        else if (statSync(file).size !== t.bytes)
          problems.push(`${t.file} has ${statSync(file).size} bytes, expected ${t.bytes}`)
        bytes += t.bytes
      }
      entries.push({
        manifest: path,
        status: problems.length === 0 ? 'complete' : 'damaged',
        first_timestamp: m.first_timestamp,
        last_timestamp: m.last_timestamp,
        rows: Object.fromEntries(m.tables.map((t) => [t.table, t.rows])),
        bytes,
        files: m.tables.map((t) => join(dir, t.file)),
        problems,
      })
    } catch (error) {
      entries.push({
        manifest: path,
        status: 'damaged',
        first_timestamp: null,
        last_timestamp: null,
        rows: {},
        bytes: 0,
        files: [],
        problems: [(error as Error).message],
      })
    }
  }
  for (const name of names.filter(
    (n) => /^executions_\d{8}_\d{8}.*\.parquet(\.tmp)?$/.test(n) && !claimed.has(n),
  )) {
    const path = join(dir, name)
    entries.push({
      manifest: null,
      status: 'incomplete',
      first_timestamp: null,
      last_timestamp: null,
      rows: {},
      bytes: statSync(path).size,
      files: [path],
      problems: ['no manifest: written by a run that did not finish; ignored, safe to delete'],
    })
  }
  return entries
}

/** Quote an identifier taken from our own allow-lists or catalog (never from input). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** A SQL string literal for a path that `resolveInRoot` already checked (COPY TO takes no parameter). */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
