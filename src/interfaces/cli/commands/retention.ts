import { archiveExpired } from '../../../ops/archive-expired.js'
import { parseIntegerFlag } from '../../../ops/retention-input.js'
import { getRetentionStats } from '../../../ops/retention-stats.js'
import type { Command } from '../command.js'
import { DATA_DIR_HELP, OPS_OPTIONS, stepProgress, stringFlag, withOpsCliStore } from '../ops-cli.js'
import { formatKeyValues, formatTable, printResult } from '../output.js'

const STEPS = ['selecting', 'writing', 'written', 'verified', 'deleted', 'checkpointed'] as const

export const retentionCommand: Command = {
  name: 'retention',
  summary: 'Archive executions older than N days to verified Parquet, then delete them (or --stats)',
  usage: '[--days 90] [--archive-dir archive] [--no-archive] [--all-expired] [--stats] [--db PATH] [--json]',
  help:
    '  --days N         keep executions younger than N days (1..3650; 0 needs --all-expired)\n' +
    '  --archive-dir D  archive folder, relative to the data directory (default archive)\n' +
    '  --no-archive     delete without writing an archive (logged as a warning)\n' +
    '  --all-expired    confirm --days 0: every execution is expired\n' +
    '  --stats          show age buckets and archives instead of running retention\n' +
    DATA_DIR_HELP,
  options: {
    ...OPS_OPTIONS,
    days: { type: 'string' },
    'archive-dir': { type: 'string' },
    'no-archive': { type: 'boolean', default: false },
    'all-expired': { type: 'boolean', default: false },
    stats: { type: 'boolean', default: false },
  },
  async run(args, io) {
    const json = args.values.json === true
    const days = parseIntegerFlag('days', stringFlag(args, 'days')) ?? 90
    const archiveDir = stringFlag(args, 'archive-dir')
    if (args.values.stats === true) {
      const stats = await withOpsCliStore(
        args,
        io,
        (s) => getRetentionStats(s, { archiveDir, retentionDays: days }),
        {
          readOnly: true,
        },
      )
      printResult(io, json, stats, (s) =>
        [
          formatTable(s.age_distribution),
          '',
          formatTable(s.archives, [
            'manifest',
            'status',
            'rows',
            'bytes',
            'first_timestamp',
            'last_timestamp',
          ]),
        ].join('\n'),
      )
      return 0
    }
    const progress = json ? undefined : stepProgress(io, 'retention', STEPS)
    const result = await withOpsCliStore(args, io, (store) =>
      archiveExpired(store, {
        days,
        archiveDir,
        archive: args.values['no-archive'] !== true,
        allExpired: args.values['all-expired'] === true,
        onProgress: progress,
      }),
    )
    printResult(io, json, result, (r) =>
      formatKeyValues({
        archived: r.archived_count,
        deleted: r.deleted_count,
        days: r.days_cleaned,
        cutoff: r.cutoff,
        archive: r.archive_file ?? '(none)',
        feedback: r.feedback_count,
        bytes: r.bytes,
        duration_ms: r.duration_ms,
        ...(r.hook_failures.length > 0 ? { hook_failures: r.hook_failures.join('; ') } : {}),
      }),
    )
    return 0
  },
}
