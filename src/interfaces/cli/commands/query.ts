import { withBackend } from '../cli-backend.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { formatKeyValues, formatTable, printResult } from '../output.js'

/** CLI flag → query parameter (flags are kebab-case and short where the parameter name is long). */
const FLAG_PARAMS = {
  range: 'range',
  since: 'since',
  until: 'until',
  repo: 'repo',
  tier: 'model_tier',
  pool: 'pool_type',
  'task-type': 'task_type',
  bucket: 'bucket',
} as const

export const queryCommand: Command = {
  name: 'query',
  summary: 'Run a named analytics query (see `orb-learning queries`)',
  usage:
    'NAME [--range 1h|24h|7d|30d|90d | --since ISO [--until ISO]] [--repo R] [--tier T] [--pool P] [--task-type T] [--bucket hour|day|week] [--server URL] [--json]',
  help: [
    "--range R        window ending now: 1h, 24h, 7d, 30d or 90d (default: the query's own)",
    '--since/--until  explicit window, ISO 8601 (UTC when no offset is given)',
    '--repo, --tier, --pool, --task-type   filters (exact match)',
    '--bucket B       bucket size of time series: hour, day or week',
  ].join('\n'),
  remote: true,
  options: {
    ...COMMON_OPTIONS,
    ...Object.fromEntries(Object.keys(FLAG_PARAMS).map((flag) => [flag, { type: 'string' as const }])),
  },
  async run(args, io) {
    const [name, ...extra] = args.positionals
    if (name === undefined) throw new UsageError('missing the query NAME')
    if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`)
    const params: Record<string, string> = {}
    for (const [flag, param] of Object.entries(FLAG_PARAMS)) {
      const value = args.values[flag]
      if (typeof value === 'string') params[param] = value
    }
    const result = await withBackend(args, io, (b) => b.runQuery(name, params))
    printResult(io, args.values.json === true, result, (r) =>
      r.rows.length === 1 && Object.keys(r.rows[0]!).length <= 6 && !('metric' in r.rows[0]!)
        ? formatKeyValues(r.rows[0]!)
        : formatTable(r.rows),
    )
    return 0
  },
}
