import { dataQualityReport } from '../../../analytics/data-quality.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatTable, printResult } from '../output.js'

export const qualityCommand: Command = {
  name: 'quality',
  summary:
    'Check the stored data (NULLs, duplicates, future timestamps, ranges, orphans, embeddings) and score it',
  usage: '[--db PATH] [--json]',
  options: COMMON_OPTIONS,
  async run(args, io) {
    const report = await withCliStore(args, io, dataQualityReport, { readOnly: true })
    printResult(io, args.values.json === true, report, (r) =>
      [
        `score ${r.score} / 100 over ${r.rows} executions and ${r.feedback_rows} feedback rows`,
        `embedding coverage ${(r.embedding_coverage * 100).toFixed(1)} %`,
        '',
        formatTable(
          r.checks.map(({ name, severity, affected, description }) => ({
            name,
            severity,
            affected,
            description,
          })),
        ),
        '',
        r.formula,
      ].join('\n'),
    )
    return 0
  },
}
