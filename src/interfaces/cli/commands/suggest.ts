import { suggestSolutions } from '../../../search/suggest-solutions.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatTable, printResult } from '../output.js'
import { numberFlag } from './search-flags.js'

export const suggestCommand: Command = {
  name: 'suggest',
  summary: 'Suggest solutions that worked for similar past tasks',
  usage: '"TEXT" [--repo R] [--limit N] [--min-similarity X] [--json]',
  options: {
    ...COMMON_OPTIONS,
    repo: { type: 'string' },
    limit: { type: 'string' },
    'min-similarity': { type: 'string' },
  },
  async run(args, io) {
    if (args.positionals.length !== 1)
      throw new UsageError('give the task description as one quoted argument')
    const v = args.values
    const query = {
      text: args.positionals[0]!,
      ...(typeof v.repo === 'string' ? { repo: v.repo } : {}),
      ...numberFlag(v, 'limit', 'limit'),
      ...numberFlag(v, 'min-similarity', 'minSimilarity'),
    }
    const rows = await withCliStore(args, io, (store) => suggestSolutions(store, query))
    printResult(io, v.json === true, rows, (r) =>
      formatTable(r as unknown as Record<string, unknown>[], [
        'success_rate',
        'evidence_count',
        'best_similarity',
        'solution_summary',
      ]),
    )
    return 0
  },
}
