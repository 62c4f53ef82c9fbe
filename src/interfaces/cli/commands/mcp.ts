import type { Readable, Writable } from 'node:stream'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { createMcpServer } from '../../mcp/server.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { DATA_DIR_HELP, dataDir } from '../ops-cli.js'

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'Serve the MCP tools over stdio (for an MCP client config: npx orb-learning mcp --db PATH)',
  usage: '[--db PATH] [--data-dir DIR] [--read-only]',
  help:
    'Speaks the Model Context Protocol on stdin/stdout; logs go to stderr only.\n' +
    '  --read-only  open the database without the write lock (record tools then answer with an error)\n' +
    DATA_DIR_HELP,
  options: {
    ...COMMON_OPTIONS,
    'read-only': { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
  },
  async run(args, io) {
    await withCliStore(
      args,
      io,
      async (store) => {
        const server = createMcpServer(store)
        const transport = new StdioServerTransport(io.stdin as Readable, io.stdout as unknown as Writable)
        await server.connect(transport)
        const closed = new Promise<void>((resolve) => {
          server.server.onclose = resolve
        })
        const stop = () => void server.close()
        process.once('SIGINT', stop)
        process.once('SIGTERM', stop)
        io.stdin.once('end', stop)
        await closed
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
      },
      { readOnly: args.values['read-only'] === true, store: { dataDir: dataDir(args, io) } },
    )
    return 0
  },
}
