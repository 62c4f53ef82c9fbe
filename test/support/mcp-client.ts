import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { createMcpServer, type McpServerOptions } from '../../src/interfaces/mcp/server.js'
import type { Store } from '../../src/store.js'

/** An SDK client connected to a fresh MCP server over the in-memory transport; closed after `fn`. */
export async function withMcpClient<T>(
  store: Store,
  fn: (client: Client) => Promise<T>,
  options: McpServerOptions = {},
): Promise<T> {
  const server = createMcpServer(store, options)
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  const client = new Client({ name: 'orb-learning-test', version: '0.0.0' })
  await client.connect(clientSide)
  try {
    return await fn(client)
  } finally {
    await client.close()
    await server.close()
  }
}

/** Call a tool and return its result typed as a CallToolResult. */
export async function callTool(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult
}

/** The text of a tool result's first content block. */
export function resultText(result: CallToolResult): string {
  const first = result.content[0]
  return first?.type === 'text' ? first.text : ''
}
