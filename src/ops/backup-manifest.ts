import { createHash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from '../db/query-rows.js'
import { LearningError } from '../errors.js'
import { quoteIdent } from './archive-manifest.js'

/** Backup file names: `learning_db_backup_YYYYMMDD_HHMMSS[_n].duckdb`. */
export const BACKUP_FILE = /^learning_db_backup_\d{8}_\d{6}(_\d+)?\.duckdb$/

/** What a backup holds, written beside it as `<file>.manifest.json` once the copy is complete and synced. */
export interface BackupManifest {
  format: 'orb-learning-backup/1'
  file: string
  created_at: string
  source: string
  schema_version: number
  embedder_id: string | null
  duckdb_version: string
  bytes: number
  sha256: string
  /** Per table: row count and bit_xor of hash(row) over the rows, taken in the same snapshot as the copy. */
  tables: Record<string, { rows: number; checksum: string }>
  /** Files copied beside the database (e.g. the vector index), with their checksums. */
  sidecars: { file: string; bytes: number; sha256: string }[]
}

/** The manifest path of a backup file. */
export function backupManifestPath(file: string): string {
  return `${file}.manifest.json`
}

/** Read and shape-check a backup manifest. */
export function readBackupManifest(file: string): BackupManifest {
  const path = backupManifestPath(file)
  if (!existsSync(path)) throw new LearningError('not_found', `backup manifest ${path} does not exist`)
  let m: BackupManifest
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest
  } catch (error) {
    throw new LearningError('invalid_input', `backup manifest ${path} is not valid JSON`, { cause: error })
  }
  if (m?.format !== 'orb-learning-backup/1' || typeof m.tables !== 'object' || m.tables === null) {
    throw new LearningError('invalid_input', `${path} is not an orb-learning backup manifest`)
  }
  return m
}

/** SHA-256 of a file, streamed. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256')
    createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')))
  })
}

/** Row count and content checksum of every table of a database (`alias`), in the caller's snapshot. */
export async function tableChecksums(
  conn: DuckDBConnection,
  alias: string,
): Promise<Record<string, { rows: number; checksum: string }>> {
  const result: Record<string, { rows: number; checksum: string }> = {}
  for (const name of await tableNames(conn, alias)) {
    const [row] = await queryRows<{ n: number; c: bigint | null }>(
      conn,
      `SELECT count(*) AS n, bit_xor(hash(t)) AS c FROM ${quoteIdent(alias)}.main.${quoteIdent(name)} AS t`,
    )
    result[name] = { rows: row?.n ?? 0, checksum: String(row?.c ?? 0) }
  }
  return result
}

/** Row count of every table of a database (`alias`): milliseconds, to check a copy against its source. */
export async function tableRowCounts(conn: DuckDBConnection, alias: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {}
  for (const name of await tableNames(conn, alias)) {
    const [row] = await queryRows<{ n: number }>(
      conn,
      `SELECT count(*) AS n FROM ${quoteIdent(alias)}.main.${quoteIdent(name)}`,
    )
    result[name] = row?.n ?? 0
  }
  return result
}

async function tableNames(conn: DuckDBConnection, alias: string): Promise<string[]> {
  const tables = await queryRows<{ name: string }>(
    conn,
    `SELECT table_name AS name FROM duckdb_tables() WHERE database_name = $db AND schema_name = 'main' ORDER BY 1`,
    { db: alias },
  )
  return tables.map((t) => t.name)
}
