import { exportExecutions } from '../../../transfer/export-executions.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatKeyValues, printResult } from '../output.js'
import { progressPrinter } from '../progress-printer.js'

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export executions to a JSONL, CSV or Parquet file that import reads back exactly',
  usage: 'FILE [--since ISO] [--until ISO] [--repo NAME] [--format jsonl|csv|parquet] [--db PATH] [--json]',
  help: [
    '--since ISO  only executions at or after this time (e.g. 2026-01-01 or 2026-01-01T12:00:00Z)',
    '--until ISO  only executions before this time',
    '--repo NAME  only executions of this repo',
    '--format F   jsonl, csv or parquet (default: from the extension)',
    'All 27 columns, in time order; the file appears only when complete.',
  ].join('\n'),
  options: {
    ...COMMON_OPTIONS,
    format: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    repo: { type: 'string' },
  },
  async run(args, io) {
    const [file, ...extra] = args.positionals
    if (file === undefined || extra.length > 0) throw new UsageError('give exactly one FILE to export to')
    const text = (name: string) => {
      const value = args.values[name]
      return typeof value === 'string' ? value : undefined
    }
    const report = await withCliStore(
      args,
      io,
      (store) =>
        exportExecutions(store, file, {
          format: text('format'),
          since: text('since'),
          until: text('until'),
          repo: text('repo'),
          onProgress: progressPrinter(io, 'export'),
        }),
      { readOnly: true },
    )
    printResult(io, args.values.json === true, report, (r) =>
      formatKeyValues({ file: r.file, format: r.format, rows: r.rows, seconds: r.seconds }),
    )
    return 0
  },
}
