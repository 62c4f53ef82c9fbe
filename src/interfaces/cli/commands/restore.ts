import { restoreFromBackup } from '../../../ops/restore-from-backup.js'
import type { Command } from '../command.js'
import { dbPath } from '../open-cli-store.js'
import { DATA_DIR_HELP, dataDir, OPS_OPTIONS, onePositional, stepProgress } from '../ops-cli.js'
import { formatKeyValues, printResult } from '../output.js'

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Replace the (stopped) database with a validated backup; the old file is kept as .pre_restore',
  usage: 'FILE [--no-validate] [--db PATH] [--json]',
  help:
    '  FILE           a backup, relative to the data directory\n' +
    '  --no-validate  skip validation (not recommended)\n' +
    'Stop the server first: a database held by another process is refused.\n' +
    DATA_DIR_HELP,
  options: { ...OPS_OPTIONS, 'no-validate': { type: 'boolean', default: false } },
  async run(args, io) {
    const json = args.values.json === true
    const report = await restoreFromBackup(onePositional(args, 'backup FILE'), {
      path: dbPath(args, io),
      dataDir: dataDir(args, io),
      validate: args.values['no-validate'] !== true,
      onProgress: json
        ? undefined
        : stepProgress(io, 'restore', ['validated', 'copied', 'swapped', 'verified']),
    })
    printResult(io, json, report, (r) =>
      formatKeyValues({
        restored: r.path,
        from: r.backup,
        previous_kept_as: r.pre_restore ?? '(none)',
        records: r.record_count,
        duration_ms: r.duration_ms,
      }),
    )
    return 0
  },
}
