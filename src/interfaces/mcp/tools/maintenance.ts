import { relative } from 'node:path'
import { z } from 'zod'
import { cleanupOldExecutions } from '../../../ops/archive-expired.js'
import { backupDatabase } from '../../../ops/backup-database.js'
import { BACKUP_FILE } from '../../../ops/backup-manifest.js'
import { MAX_RETENTION_DAYS } from '../../../ops/retention-input.js'
import { resolveInRoot } from '../../../ops/safe-path.js'
import { validateBackup } from '../../../ops/validate-backup.js'
import { defineTool } from '../tool.js'

const pathText = z.string().min(1).max(1024)

/** `backup_database`: an online, consistent backup with a manifest, inside the data directory. */
export const backupDatabaseTool = defineTool({
  name: 'backup_database',
  title: 'Back up the database',
  description:
    'Write an online, consistent backup (learning_db_backup_YYYYMMDD_HHMMSS.duckdb) and its manifest (row ' +
    'counts, checksums, SHA-256) while writers keep writing. dir is a folder inside the data directory ' +
    '(default backups); paths outside it are refused. Check the result with validate_backup. Needs admin.',
  scope: 'admin',
  input: z.strictObject({
    dir: pathText
      .regex(/^[\w./-]+$/, "must be a folder path of letters, digits, '.', '_', '-' and '/'")
      .optional()
      .describe('Backup folder, relative to the data directory (default backups)'),
  }),
  output: z.object({
    file: z.string(),
    file_in_data_dir: z
      .string()
      .describe('The backup relative to the data directory: pass it to validate_backup'),
    manifest: z.string(),
    bytes: z.number(),
    record_count: z.number(),
    tables: z.record(z.string(), z.object({ rows: z.number(), checksum: z.string() })),
    duration_ms: z.number(),
    writer_pause_ms: z.number(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async run(store, { dir }) {
    const report = await backupDatabase(store, dir === undefined ? {} : { dir })
    return { ...report, file_in_data_dir: relative(store.config.dataDir, report.file) }
  },
})

/** `validate_backup`: check one backup against its manifest, in isolation. */
export const validateBackupTool = defineTool({
  name: 'validate_backup',
  title: 'Validate a backup',
  description:
    'Check a backup in its own read-only database: the manifest matches the file (size, SHA-256), every table ' +
    'is there with its row count and checksum, keys are unique, the record rules hold. file is a backup ' +
    'relative to the data directory (e.g. backups/learning_db_backup_20260101_020000.duckdb). Returns valid ' +
    'and the list of problems. Needs admin.',
  scope: 'admin',
  input: z.strictObject({
    file: pathText.describe('The backup, relative to the data directory'),
  }),
  output: z.object({
    valid: z.boolean(),
    file: z.string(),
    record_count: z.number(),
    backup_size_mb: z.number(),
    created_at: z.string().nullable(),
    schema_version: z.number().nullable(),
    problems: z.array(z.string()),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: (store, { file }) =>
    validateBackup(
      resolveInRoot(store.config.dataDir, file, {
        field: 'file',
        livePath: store.path,
        pattern: BACKUP_FILE,
        patternName: 'a backup (learning_db_backup_YYYYMMDD_HHMMSS.duckdb)',
      }),
    ),
})

/** `cleanup_old_executions`: archive then delete executions older than `days` (destructive, confirmed). */
export const cleanupOldExecutionsTool = defineTool({
  name: 'cleanup_old_executions',
  title: 'Delete old executions (archived first)',
  description:
    'DESTRUCTIVE: remove executions older than days (default 90, 1-3650) with their feedback and routing ' +
    'decisions from the live database. They are first written to a verified Parquet archive in the data ' +
    'directory (archive: false skips that and is logged). Requires confirm: true. Needs admin. A second run is a no-op.',
  scope: 'admin',
  input: z.strictObject({
    confirm: z.literal(true).describe('Must be true: this deletes rows'),
    days: z
      .number()
      .int()
      .min(1)
      .max(MAX_RETENTION_DAYS)
      .default(90)
      .describe('Keep executions younger than this many days'),
    archive: z.boolean().default(true).describe('Write a verified archive before deleting (default true)'),
  }),
  output: z.object({
    archived_count: z.number(),
    deleted_count: z.number(),
    days_cleaned: z.number(),
    archive_file: z.string().nullable(),
    archive_files: z.array(z.string()),
    feedback_count: z.number(),
    routing_decision_count: z.number(),
    bytes: z.number(),
    duration_ms: z.number(),
    cutoff: z.string(),
    hook_failures: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  run: (store, { days, archive }) => cleanupOldExecutions(store, days, { archive }),
})
