import { listQueries } from '../../../analytics/query-registry.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { formatTable, printResult } from '../output.js'

export const queriesCommand: Command = {
  name: 'queries',
  summary: 'List the named analytics queries with their parameters',
  usage: '[--json]',
  options: COMMON_OPTIONS,
  async run(args, io) {
    const queries = listQueries()
    printResult(io, args.values.json === true, queries, (list) =>
      formatTable(
        list.map((q) => ({
          name: q.name,
          kind: q.result.kind,
          description: q.description,
        })),
      ),
    )
    return 0
  },
}
