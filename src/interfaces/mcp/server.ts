import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import type { Store } from '../../store.js'
import type { McpTool, ToolScope } from './tool.js'
import { toolError, toolResult } from './tool-result.js'
import { TOOLS } from './tools/index.js'

/** Every scope: what a local (stdio) client may do. */
export const ALL_SCOPES: ReadonlySet<ToolScope> = new Set(['read', 'write', 'admin'])

/** Options of an MCP server. */
export interface McpServerOptions {
  /** Scopes the caller holds; a tool needing another answers with an error. Default: all (stdio). */
  scopes?: ReadonlySet<ToolScope>
  /** Tools to offer. Default: every tool whose capability exists. */
  tools?: readonly McpTool[]
}

const INSTRUCTIONS =
  'orb-learning stores the execution telemetry of an AI-agent orchestrator and learns from it. ' +
  'Record each finished task with record_execution; ask database_status first to see what is stored.'

/**
 * An MCP server whose tools call the library's capabilities on `store`; connect it to any transport.
 * @example
 * const server = createMcpServer(store)
 * await server.connect(new StdioServerTransport())
 */
export function createMcpServer(store: Store, options: McpServerOptions = {}): McpServer {
  const scopes = options.scopes ?? ALL_SCOPES
  const server = new McpServer(
    { name: 'orb-learning', version: '0.1.0' },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  )
  for (const tool of options.tools ?? TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        ...(tool.annotations ? { annotations: tool.annotations } : {}),
      },
      (args: unknown) => callTool(store, tool, args, scopes),
    )
  }
  return server
}

async function callTool(
  store: Store,
  tool: McpTool,
  args: unknown,
  scopes: ReadonlySet<ToolScope>,
): Promise<CallToolResult> {
  // admin implies every scope, as for HTTP keys.
  if (!scopes.has(tool.scope) && !scopes.has('admin')) {
    const text = `forbidden: tool ${tool.name} needs the '${tool.scope}' scope, which this API key lacks`
    return { content: [{ type: 'text', text }], isError: true }
  }
  try {
    return toolResult(await tool.run(store, args as never))
  } catch (error) {
    return toolError(error)
  }
}
