import { withBackend } from '../cli-backend.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { formatTable, printResult } from '../output.js'

export const queriesCommand: Command = {
  name: 'queries',
  summary: 'List the named analytics queries with their parameters',
  usage: '[--server URL] [--json]',
  options: COMMON_OPTIONS,
  remote: true,
  async run(args, io) {
    const queries = await withBackend(args, io, (b) => b.listQueries(), { database: false })
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
