import { getDatabaseStatus } from '../../../ops/database-status.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatKeyValues, printResult } from '../output.js'

export const initCommand: Command = {
  name: 'init',
  summary: 'Create the database (or bring its schema up to date)',
  usage: '[--db PATH]',
  options: COMMON_OPTIONS,
  async run(args, io) {
    const status = await withCliStore(args, io, getDatabaseStatus)
    printResult(
      io,
      args.values.json === true,
      { path: status.path, schema_version: status.schema_version },
      (s) => formatKeyValues({ initialised: s.path, schema_version: s.schema_version }),
    )
    return 0
  },
}
