import { listArchives, restoreArchive } from '../../../ops/restore-archive.js'
import { type Command, UsageError } from '../command.js'
import { DATA_DIR_HELP, OPS_OPTIONS, stringFlag, withOpsCliStore } from '../ops-cli.js'
import { formatKeyValues, formatTable, printResult } from '../output.js'

export const archiveCommand: Command = {
  name: 'archive',
  summary: 'List retention archives, or re-import one (idempotent)',
  usage: 'list [--archive-dir archive] | restore FILE  [--db PATH] [--json]',
  help: `  list            complete, damaged and incomplete archives\n  restore FILE    verify the archive, insert rows not present yet\n${DATA_DIR_HELP}`,
  options: { ...OPS_OPTIONS, 'archive-dir': { type: 'string' } },
  async run(args, io) {
    const json = args.values.json === true
    const [action, file, ...rest] = args.positionals
    if (action === 'list' && file === undefined) {
      const archives = await withOpsCliStore(
        args,
        io,
        async (s) => listArchives(s, { archiveDir: stringFlag(args, 'archive-dir') }),
        { readOnly: true },
      )
      printResult(io, json, archives, (list) =>
        formatTable(
          list.map((a) => ({ ...a, rows: a.rows.executions ?? 0, problems: a.problems.join('; ') })),
          ['manifest', 'status', 'rows', 'bytes', 'first_timestamp', 'last_timestamp', 'problems'],
        ),
      )
      return 0
    }
    if (action === 'restore' && file !== undefined && rest.length === 0) {
      const result = await withOpsCliStore(args, io, (s) => restoreArchive(s, file))
      printResult(io, json, result, (r) =>
        formatKeyValues({ archive: r.manifest, restored: r.restored, skipped_already_present: r.skipped }),
      )
      return 0
    }
    throw new UsageError("expected 'list' or 'restore FILE'")
  },
}
