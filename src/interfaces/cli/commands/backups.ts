import { listBackups, pruneBackups } from '../../../ops/backup-retention.js'
import { parseIntegerFlag } from '../../../ops/retention-input.js'
import { type Command, UsageError } from '../command.js'
import { DATA_DIR_HELP, OPS_OPTIONS, stringFlag, withOpsCliStore } from '../ops-cli.js'
import { formatKeyValues, formatTable, printResult } from '../output.js'

export const backupsCommand: Command = {
  name: 'backups',
  summary: 'List backups, or prune old ones (never the only intact backup)',
  usage: 'list | prune [--keep 7] [--keep-days 30] [--dry-run]  [--dir backups] [--db PATH] [--json]',
  help:
    '  --keep N       keep the newest N backups (default 7)\n' +
    '  --keep-days D  keep every backup younger than D days (default 30)\n' +
    '  --dry-run      show what would be deleted\n' +
    DATA_DIR_HELP,
  options: {
    ...OPS_OPTIONS,
    dir: { type: 'string' },
    keep: { type: 'string' },
    'keep-days': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
  async run(args, io) {
    const json = args.values.json === true
    const dir = stringFlag(args, 'dir')
    const [action, ...rest] = args.positionals
    if (rest.length > 0) throw new UsageError("expected 'list' or 'prune'")
    if (action === 'list') {
      const list = await withOpsCliStore(args, io, async (s) => listBackups(s, { dir }), { readOnly: true })
      printResult(io, json, list, (l) =>
        formatTable(l as unknown as Record<string, unknown>[], [
          'file',
          'created_at',
          'bytes',
          'record_count',
          'intact',
        ]),
      )
      return 0
    }
    if (action === 'prune') {
      const result = await withOpsCliStore(args, io, (s) =>
        pruneBackups(s, {
          dir,
          keepLast: parseIntegerFlag('keep', stringFlag(args, 'keep')),
          keepDays: parseIntegerFlag('keep-days', stringFlag(args, 'keep-days')),
          dryRun: args.values['dry-run'] === true,
        }),
      )
      printResult(io, json, result, (r) =>
        formatKeyValues({
          kept: r.kept.length,
          deleted: r.deleted.length === 0 ? '(none)' : r.deleted.join(', '),
        }),
      )
      return 0
    }
    throw new UsageError("expected 'list' or 'prune'")
  },
}
