import { importLegacyDatabase } from '../../../db/legacy-import.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatKeyValues, printResult } from '../output.js'

export const importLegacyCommand: Command = {
  name: 'import-legacy',
  summary: 'Import a database of the original Python system (read-only; re-embeds; idempotent)',
  usage: 'FILE [--db PATH] [--json]',
  help: [
    'FILE is opened read-only and never changed. Every row is validated by the same rules; rows that',
    'cannot be taken are listed with the reason (exit 1). The 768-d vectors are dropped and re-computed',
    "with this store's embedder; all other fields are kept exactly. Rows already stored stay unchanged.",
  ].join('\n'),
  options: COMMON_OPTIONS,
  async run(args, io) {
    const [file, ...extra] = args.positionals
    if (file === undefined || extra.length > 0) throw new UsageError('give exactly one legacy database FILE')
    const report = await withCliStore(args, io, (store) => importLegacyDatabase(store, file))
    printResult(io, args.values.json === true, report, (r) =>
      formatKeyValues({
        file: r.file,
        rows: r.rows,
        inserted: r.inserted,
        unchanged: r.unchanged,
        rejected: r.rejected.length,
        seconds: r.seconds,
      }),
    )
    if (args.values.json !== true) {
      for (const r of report.rejected) {
        io.stderr.write(`row ${r.row}${r.task_id ? ` (task_id ${r.task_id})` : ''}: ${r.error}\n`)
      }
    }
    return report.rejected.length > 0 ? 1 : 0
  },
}
