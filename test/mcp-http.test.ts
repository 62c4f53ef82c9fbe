import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { parseApiKeys } from '../src/interfaces/http/api-keys.js'
import { startServer } from '../src/interfaces/http/server.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const WRITE_KEY = 'k_mcp_write_0123456789'
const READ_KEY = 'k_mcp_read_0123456789'

async function connect(url: string, key?: string): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
    requestInit: key ? { headers: { authorization: `Bearer ${key}` } } : {},
  })
  const client = new Client({ name: 'http-test', version: '0.0.0' })
  await client.connect(transport)
  return client
}

describe('MCP over Streamable HTTP at /mcp', () => {
  it('should serve the tools with the scopes of the caller key', () =>
    withStore(async (store) => {
      const apiKeys = parseApiKeys(`write+read:${WRITE_KEY},read:${READ_KEY}`)
      const server = await startServer({ store, port: 0, apiKeys })
      try {
        const writer = await connect(server.url, WRITE_KEY)
        const rec = execution()
        const written = (await writer.callTool({
          name: 'record_execution',
          arguments: rec,
        })) as CallToolResult
        assert.deepEqual((written.structuredContent as { task_ids: string[] }).task_ids, [rec.task_id])
        await writer.close()

        const reader = await connect(server.url, READ_KEY)
        const { tools } = await reader.listTools()
        assert.ok(tools.some((t) => t.name === 'database_status'))
        const refused = (await reader.callTool({
          name: 'record_execution',
          arguments: execution(),
        })) as CallToolResult
        assert.equal(refused.isError, true)
        const status = (await reader.callTool({ name: 'database_status', arguments: {} })) as CallToolResult
        assert.equal((status.structuredContent as { record_count: number }).record_count, 1)
        await reader.close()

        await assert.rejects(connect(server.url), /401|missing API key/)
        const get = await fetch(`${server.url}/mcp`, { headers: { authorization: `Bearer ${READ_KEY}` } })
        assert.equal(get.status, 405)
      } finally {
        await server.close()
      }
    }))
})
