import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { createMcpServer } from '../../mcp/server.js'
import { principalOf } from '../auth.js'
import type { App, RouteContext } from '../context.js'
import { errorBody } from '../http-error.js'

/**
 * `POST /mcp`: the MCP tools over Streamable HTTP, stateless (a server per request, JSON responses).
 * The caller's API key scopes decide which tools answer.
 */
export function registerMcpRoutes(app: App, ctx: RouteContext): void {
  app.post('/mcp', async (c) => {
    const server = createMcpServer(ctx.store, { scopes: principalOf(c).scopes })
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    })
    await server.connect(transport)
    try {
      return await transport.handleRequest(c.req.raw)
    } finally {
      await server.close()
    }
  })
  app.on(['GET', 'DELETE'], '/mcp', (c) => {
    c.header('Allow', 'POST')
    return c.json(
      errorBody(
        'invalid_input',
        `${c.req.method} /mcp is not supported: this endpoint is stateless, POST JSON-RPC messages`,
      ),
      405,
    )
  })
  ctx.openapi.add({
    method: 'post',
    path: '/mcp',
    summary:
      'Model Context Protocol (Streamable HTTP, stateless, JSON responses): the same tools as `orb-learning mcp`',
    tags: ['mcp'],
    responses: { 200: { description: 'JSON-RPC response' } },
  })
  for (const method of ['get', 'delete'] as const) {
    ctx.openapi.add({
      method,
      path: '/mcp',
      summary: 'Not supported: the MCP endpoint is stateless (no SSE stream, no session to delete)',
      tags: ['mcp'],
      responses: { 405: { description: 'Method not allowed; POST JSON-RPC messages' } },
    })
  }
}
