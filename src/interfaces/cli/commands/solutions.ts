import { getSolutionPatterns } from '../../../search/solution-patterns.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatTable, printResult } from '../output.js'
import { numberFlag } from './search-flags.js'

export const solutionsCommand: Command = {
  name: 'solutions',
  summary: 'List solution patterns used repeatedly, best success rate first',
  usage: '[--repo R] [--min-usage N] [--days D] [--limit N] [--json]',
  options: {
    ...COMMON_OPTIONS,
    repo: { type: 'string' },
    'min-usage': { type: 'string' },
    days: { type: 'string' },
    limit: { type: 'string' },
  },
  async run(args, io) {
    const v = args.values
    const query = {
      ...(typeof v.repo === 'string' ? { repo: v.repo } : {}),
      ...numberFlag(v, 'min-usage', 'minUsage'),
      ...numberFlag(v, 'days', 'days'),
      ...numberFlag(v, 'limit', 'limit'),
    }
    const rows = await withCliStore(args, io, (store) => getSolutionPatterns(store, query), {
      readOnly: true,
    })
    printResult(io, v.json === true, rows, (r) =>
      formatTable(r as unknown as Record<string, unknown>[], [
        'success_rate',
        'usage_count',
        'avg_quality',
        'repo',
        'task_types',
        'solution_summary',
      ]),
    )
    return 0
  },
}
