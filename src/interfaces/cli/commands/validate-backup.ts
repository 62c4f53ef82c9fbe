import { resolve } from 'node:path'
import { BACKUP_FILE } from '../../../ops/backup-manifest.js'
import { resolveInRoot } from '../../../ops/safe-path.js'
import { validateBackup } from '../../../ops/validate-backup.js'
import type { Command } from '../command.js'
import { dbPath } from '../open-cli-store.js'
import { DATA_DIR_HELP, dataDir, OPS_OPTIONS, onePositional } from '../ops-cli.js'
import { formatKeyValues, printResult } from '../output.js'

export const validateBackupCommand: Command = {
  name: 'validate-backup',
  summary: 'Check a backup against its manifest in isolation (exit 1 when it is not valid)',
  usage: 'FILE [--data-dir DIR] [--json]',
  help: `  FILE  a backup, relative to the data directory (e.g. backups/learning_db_backup_20260101_020000.duckdb)\n${DATA_DIR_HELP}`,
  options: OPS_OPTIONS,
  async run(args, io) {
    const file = resolveInRoot(dataDir(args, io), onePositional(args, 'backup FILE'), {
      field: 'FILE',
      livePath: resolve(dbPath(args, io)),
      pattern: BACKUP_FILE,
      patternName: 'a backup (learning_db_backup_YYYYMMDD_HHMMSS.duckdb)',
    })
    const result = await validateBackup(file)
    printResult(io, args.values.json === true, result, (r) =>
      formatKeyValues({
        backup: r.file,
        valid: r.valid,
        records: r.record_count,
        size_mb: r.backup_size_mb,
        created_at: r.created_at,
        problems: r.problems.length === 0 ? '(none)' : r.problems.join('; '),
      }),
    )
    return result.valid ? 0 : 1
  },
}
