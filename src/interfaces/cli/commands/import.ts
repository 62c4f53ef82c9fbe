import { importExecutions } from '../../../transfer/import-executions.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatKeyValues, printResult } from '../output.js'
import { progressPrinter } from '../progress-printer.js'

const SHOWN_REJECTIONS = 100

export const importCommand: Command = {
  name: 'import',
  summary: 'Import executions from a JSONL, CSV or Parquet file (streamed; rejections by line)',
  usage: 'FILE [--format jsonl|csv|parquet] [--db PATH] [--json]',
  help: [
    '--format F  jsonl, csv or parquet (default: from the extension .jsonl/.ndjson/.json, .csv, .parquet)',
    'Progress (rows, rows/s, ETA) goes to stderr. Each rejected record is reported with its line',
    '(JSONL, CSV) or row (Parquet); exit 1 when anything was rejected. A task_id already stored is updated.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, format: { type: 'string' } },
  async run(args, io) {
    const [file, ...extra] = args.positionals
    if (file === undefined || extra.length > 0) throw new UsageError('give exactly one FILE to import')
    let shown = 0
    const report = await withCliStore(args, io, (store) =>
      importExecutions(store, file, {
        format: typeof args.values.format === 'string' ? args.values.format : undefined,
        onProgress: progressPrinter(io, 'import'),
        onRejection: (r) => {
          if (args.values.json === true || shown++ >= SHOWN_REJECTIONS) return
          io.stderr.write(`line ${r.line}${r.task_id ? ` (task_id ${r.task_id})` : ''}: ${r.error}\n`)
        },
      }),
    )
    if (args.values.json !== true && report.rejected > SHOWN_REJECTIONS) {
      io.stderr.write(
        `... and ${report.rejected - SHOWN_REJECTIONS} more rejections (--json lists the first 1,000)\n`,
      )
    }
    printResult(io, args.values.json === true, report, (r) =>
      formatKeyValues({
        file: r.file,
        format: r.format,
        rows: r.rows,
        inserted: r.inserted,
        updated: r.updated,
        rejected: r.rejected,
        seconds: r.seconds,
      }),
    )
    return report.rejected > 0 ? 1 : 0
  },
}
