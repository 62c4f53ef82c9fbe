import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'
import { withTempDir } from './support/temp-store.js'

const CLI = join(import.meta.dirname, '..', 'dist', 'interfaces', 'cli', 'main.js')

describe('orb-learning mcp (stdio)', () => {
  it(
    'should speak MCP on stdout of the built binary and write records to --db',
    { skip: !existsSync(CLI) },
    () =>
      withTempDir(async (dir) => {
        const db = join(dir, 'learning.duckdb')
        const transport = new StdioClientTransport({
          command: process.execPath,
          args: [CLI, 'mcp', '--db', db],
          stderr: 'pipe',
        })
        const client = new Client({ name: 'stdio-test', version: '0.0.0' })
        await client.connect(transport)
        const { tools } = await client.listTools()
        assert.ok(tools.some((t) => t.name === 'record_execution'))
        const rec = execution()
        const written = (await client.callTool({
          name: 'record_execution',
          arguments: rec,
        })) as CallToolResult
        assert.deepEqual((written.structuredContent as { task_ids: string[] }).task_ids, [rec.task_id])
        const status = (await client.callTool({ name: 'database_status', arguments: {} })) as CallToolResult
        assert.equal((status.structuredContent as { record_count: number }).record_count, 1)
        await client.close()
        // The child closed the database on stdin's end: it opens again for writing with the row in it.
        const store = await openStore({ path: db })
        try {
          const reader = await store.read((c) => c.runAndReadAll('SELECT task_id::VARCHAR FROM executions'))
          assert.deepEqual(reader.getRowsJS(), [[rec.task_id]])
        } finally {
          await store.close()
        }
      }),
  )

  it('should write nothing but JSON-RPC messages to stdout', { skip: !existsSync(CLI) }, () =>
    withTempDir(async (dir) => {
      const child = spawn(process.execPath, [CLI, 'mcp', '--db', join(dir, 'learning.duckdb')], {
        stdio: ['pipe', 'pipe', 'pipe'],
      })
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8')
      })
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`)
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'raw', version: '0' },
        },
      })
      send({ jsonrpc: '2.0', method: 'notifications/initialized' })
      send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'database_status', arguments: {} },
      })
      send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'nope', arguments: {} } })
      while (stdout.split('\n').filter(Boolean).length < 3) await new Promise((r) => setTimeout(r, 20))
      child.stdin.end()
      assert.equal(await exited, 0)
      const lines = stdout.split('\n').filter(Boolean)
      const messages = lines.map((line) => JSON.parse(line) as { jsonrpc: string; id: number })
      assert.deepEqual(
        messages.map((m) => [m.jsonrpc, m.id]).sort((a, b) => Number(a[1]) - Number(b[1])),
        [
          ['2.0', 1],
          ['2.0', 2],
          ['2.0', 3],
        ],
      )
    }),
  )
})
