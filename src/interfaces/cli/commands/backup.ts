import { backupDatabase } from '../../../ops/backup-database.js'
import type { Command } from '../command.js'
import { DATA_DIR_HELP, OPS_OPTIONS, stepProgress, stringFlag, withOpsCliStore } from '../ops-cli.js'
import { formatKeyValues, printResult } from '../output.js'

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Write an online, consistent backup with a manifest (learning_db_backup_YYYYMMDD_HHMMSS.duckdb)',
  usage: '[--dir backups] [--compact] [--db PATH] [--json]',
  help:
    '  --dir D     backup folder, relative to the data directory (default backups)\n' +
    '  --compact   copy the live rows into a fresh file (slower; restoring it shrinks a database retention left large)\n' +
    DATA_DIR_HELP,
  options: { ...OPS_OPTIONS, dir: { type: 'string' }, compact: { type: 'boolean' } },
  async run(args, io) {
    const json = args.values.json === true
    const progress = json ? undefined : stepProgress(io, 'backup', ['copying', 'copied', 'synced', 'done'])
    const report = await withOpsCliStore(args, io, (s) =>
      backupDatabase(s, {
        dir: stringFlag(args, 'dir'),
        compact: args.values.compact === true,
        onProgress: progress,
      }),
    )
    printResult(io, json, report, (r) =>
      formatKeyValues({
        backup: r.file,
        manifest: r.manifest,
        size_mb: (r.bytes / 1_048_576).toFixed(2),
        records: r.record_count,
        duration_ms: r.duration_ms,
      }),
    )
    return 0
  },
}
