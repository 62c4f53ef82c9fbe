import { checkStorageAlerts } from '../../../ops/storage-stats.js'
import type { Command } from '../command.js'
import { DATA_DIR_HELP, numberFlag, OPS_OPTIONS, withOpsCliStore } from '../ops-cli.js'
import { formatKeyValues, printResult } from '../output.js'

export const storageCommand: Command = {
  name: 'storage',
  summary: 'Show database, WAL, archive and backup sizes, growth, projection, and size alerts',
  usage: '[--warning-mb 500] [--critical-mb 1000] [--db PATH] [--json]',
  help: `  --warning-mb N / --critical-mb N   size thresholds (warning must be below critical)\n${DATA_DIR_HELP}`,
  options: { ...OPS_OPTIONS, 'warning-mb': { type: 'string' }, 'critical-mb': { type: 'string' } },
  async run(args, io) {
    const thresholds = {
      warningMb: numberFlag(args, 'warning-mb'),
      criticalMb: numberFlag(args, 'critical-mb'),
    }
    const report = await withOpsCliStore(args, io, (s) => checkStorageAlerts(s, thresholds), {
      readOnly: true,
    })
    printResult(io, args.values.json === true, report, (r) =>
      formatKeyValues({
        status: r.status,
        alerts: r.alerts.length === 0 ? '(none)' : r.alerts.join('; '),
        database: r.database_path,
        size_mb: r.database_size_mb,
        wal_bytes: r.wal_size_bytes,
        rows: r.tables,
        bytes_per_row: r.bytes_per_row,
        archives_mb: (r.archive_size_bytes / 1_048_576).toFixed(2),
        backups_mb: (r.backup_size_bytes / 1_048_576).toFixed(2),
        rows_per_day: r.rows_per_day,
        growth_mb_per_day: r.growth_mb_per_day,
        projected_mb_at_retention: r.estimated_max_size_mb,
      }),
    )
    return 0
  },
}
