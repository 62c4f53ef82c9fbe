import { withBackend } from '../cli-backend.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { formatTable, printResult } from '../output.js'
import { numberFlag } from './search-flags.js'

export const searchCommand: Command = {
  name: 'search',
  summary: 'Find past executions similar to a task description',
  usage:
    '"TEXT" [--limit N] [--min-similarity X] [--repo R] [--task-type T] [--success-only] [--days D] [--server URL] [--json]',
  help: [
    '--limit N            most rows (1-1000, default 10)',
    '--min-similarity X   lowest cosine similarity (-1..1, default 0.7)',
    '--repo R             only this repository',
    '--task-type T        only this task type',
    '--success-only       only successful executions',
    '--days D             only the last D days (default 90)',
  ].join('\n'),
  remote: true,
  options: {
    ...COMMON_OPTIONS,
    limit: { type: 'string' },
    'min-similarity': { type: 'string' },
    repo: { type: 'string' },
    'task-type': { type: 'string' },
    'success-only': { type: 'boolean', default: false },
    days: { type: 'string' },
  },
  async run(args, io) {
    if (args.positionals.length !== 1)
      throw new UsageError('give the task description as one quoted argument')
    const v = args.values
    const query = {
      text: args.positionals[0]!,
      ...numberFlag(v, 'limit', 'limit'),
      ...numberFlag(v, 'min-similarity', 'minSimilarity'),
      ...numberFlag(v, 'days', 'days'),
      ...(typeof v.repo === 'string' ? { repo: v.repo } : {}),
      ...(typeof v['task-type'] === 'string' ? { taskType: v['task-type'] } : {}),
      successOnly: v['success-only'] === true,
    }
    const rows = await withBackend(args, io, (b) => b.findSimilar(query), { readOnly: false })
    printResult(io, v.json === true, rows, (r) =>
      formatTable(
        r.map((x) => ({ ...x, timestamp: x.timestamp.toISOString().slice(0, 16) })),
        [
          'similarity',
          'timestamp',
          'repo',
          'task_type',
          'model_tier',
          'success',
          'task_description',
          'task_id',
        ],
      ),
    )
    return 0
  },
}
