import { existsSync, statSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { queryRows } from '../db/query-rows.js'
import { errorMessage } from '../errors.js'
import { quoteIdent } from './archive-manifest.js'
import {
  BACKUP_FILE,
  type BackupManifest,
  readBackupManifest,
  sha256File,
  tableChecksums,
} from './backup-manifest.js'

/** What `validateBackup` found. */
export interface BackupValidation {
  valid: boolean
  file: string
  record_count: number
  backup_size_mb: number
  created_at: string | null
  schema_version: number | null
  problems: string[]
}

/** Tables every backup must hold, with the key that must be unique. */
const REQUIRED_TABLES = {
  executions: 'task_id',
  feedback: 'feedback_id',
  metadata: 'key',
  schema_migrations: 'version',
}

/** The CHECK rules of `executions` (DESIGN.md), re-evaluated on the backup's rows: a fixed list, never read from
 * the file. */
const EXECUTION_RULES: readonly [string, string][] = [
  ['routing_confidence between 0 and 1', 'routing_confidence BETWEEN 0 AND 1'],
  ['complexity_score between 0 and 100', 'complexity_score BETWEEN 0 AND 100'],
  ['quality_score null or between 0 and 100', 'quality_score IS NULL OR quality_score BETWEEN 0 AND 100'],
  ['user_rating null or 1..5', 'user_rating IS NULL OR user_rating BETWEEN 1 AND 5'],
  ['counts >= 0', 'file_count >= 0 AND estimated_tokens >= 0'],
  ['duration and costs >= 0', 'duration_seconds >= 0 AND cost_estimate >= 0 AND actual_cost >= 0'],
  [
    'required text non-empty',
    'length(trim(task_type)) > 0 AND length(trim(repo)) > 0 AND length(trim(task_description)) > 0',
  ],
]

/**
 * Check a backup in isolation (its own read-only DuckDB instance): the manifest exists and matches the file (size,
 * SHA-256), every table is present with its row count and content checksum, keys are unique, the CHECK rules hold.
 * @example
 * const { valid, problems } = await validateBackup('data/backups/learning_db_backup_20260101_020000.duckdb')
 */
export async function validateBackup(file: string): Promise<BackupValidation> {
  const result: BackupValidation = {
    valid: false,
    file,
    record_count: 0,
    backup_size_mb: 0,
    created_at: null,
    schema_version: null,
    problems: [],
  }
  const problems = result.problems
  if (!BACKUP_FILE.test(basename(file)))
    problems.push(`${basename(file)} is not a backup file name (learning_db_backup_YYYYMMDD_HHMMSS.duckdb)`)
  if (!existsSync(file)) {
    problems.push(`${file} does not exist`)
    return result
  }
  result.backup_size_mb = round(statSync(file).size / 1_048_576)
  let manifest: BackupManifest
  try {
    manifest = readBackupManifest(file)
  } catch (error) {
    problems.push(errorMessage(error))
    return result
  }
  result.created_at = manifest.created_at
  result.schema_version = manifest.schema_version
  if (statSync(file).size !== manifest.bytes)
    problems.push(`file has ${statSync(file).size} bytes, manifest says ${manifest.bytes}`)
  else if ((await sha256File(file)) !== manifest.sha256)
    problems.push('file SHA-256 does not match the manifest')
  for (const name of Object.keys(REQUIRED_TABLES)) {
    if (!(name in manifest.tables)) problems.push(`manifest lists no ${name} table`)
  }
  for (const sidecar of manifest.sidecars ?? []) {
    const copy = join(dirname(file), basename(sidecar.file))
    if (!existsSync(copy)) problems.push(`sidecar ${sidecar.file} is missing`)
    else if (statSync(copy).size !== sidecar.bytes || (await sha256File(copy)) !== sidecar.sha256)
      problems.push(`sidecar ${sidecar.file} does not match the manifest (size or SHA-256)`)
  }
  if (problems.length > 0) return result
  let instance: DuckDBInstance | undefined
  let conn: DuckDBConnection | undefined
  try {
    instance = await DuckDBInstance.create(file, {
      access_mode: 'READ_ONLY',
      autoinstall_known_extensions: 'false',
    })
    conn = await instance.connect()
    await checkContent(conn, manifest, result)
  } catch (error) {
    problems.push(`cannot be read as a DuckDB database: ${errorMessage(error).split('\n')[0]}`)
  } finally {
    conn?.closeSync()
    instance?.closeSync()
  }
  result.valid = problems.length === 0
  return result
}

async function checkContent(
  conn: DuckDBConnection,
  manifest: BackupManifest,
  result: BackupValidation,
): Promise<void> {
  const problems = result.problems
  const [db] = await queryRows<{ name: string }>(conn, 'SELECT current_database() AS name')
  const actual = await tableChecksums(conn, db!.name)
  for (const [name, expected] of Object.entries(manifest.tables)) {
    const seen = actual[name]
    if (!seen) problems.push(`table ${name} is missing`)
    else if (seen.rows !== expected.rows)
      problems.push(`table ${name} has ${seen.rows} rows, manifest says ${expected.rows}`)
    else if (seen.checksum !== expected.checksum)
      problems.push(`table ${name} content checksum does not match the manifest`)
  }
  for (const [name, key] of Object.entries(REQUIRED_TABLES)) {
    if (!actual[name]) continue
    const [dup] = await queryRows<{ n: number }>(
      conn,
      `SELECT count(*) - count(DISTINCT ${quoteIdent(key)}) AS n FROM ${quoteIdent(name)}`,
    )
    if ((dup?.n ?? 0) !== 0) problems.push(`table ${name} has ${dup?.n} duplicate ${key} values`)
  }
  if (actual.executions) {
    result.record_count = actual.executions.rows
    for (const [rule, predicate] of EXECUTION_RULES) {
      const [bad] = await queryRows<{ n: number }>(
        conn,
        `SELECT count(*) AS n FROM executions WHERE NOT (${predicate})`,
      )
      if ((bad?.n ?? 0) > 0) problems.push(`${bad?.n} executions break the rule: ${rule}`)
    }
  }
  if (actual.schema_migrations) {
    const [v] = await queryRows<{ v: number }>(
      conn,
      'SELECT coalesce(max(version), 0) AS v FROM schema_migrations',
    )
    if (v?.v !== manifest.schema_version)
      problems.push(`schema version is ${v?.v}, manifest says ${manifest.schema_version}`)
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100
}
