import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { parseApiKeys } from '../src/interfaces/http/api-keys.js'
import { startServer } from '../src/interfaces/http/server.js'
import { execution } from './support/executions.js'
import { resultText } from './support/mcp-client.js'
import { countRows, withOpsStore } from './support/ops-store.js'
import { withTempDir } from './support/temp-store.js'

const CLI = join(import.meta.dirname, '..', 'dist', 'interfaces', 'cli', 'main.js')
const ADMIN_KEY = 'k_mcp_admin_0123456789'
const WRITE_KEY = 'k_mcp_write_0123456789'

async function connect(url: string, key: string): Promise<Client> {
  const client = new Client({ name: 'tools-http-test', version: '0.0.0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  )
  return client
}

const call = async (client: Client, name: string, args: Record<string, unknown> = {}) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult

describe('new MCP tools on the real faces', () => {
  it('should run admin tools over /mcp only with an admin key', () =>
    withOpsStore(async (store) => {
      await recordExecutions(store, [execution(), execution({ daysAgo: 100 })])
      const apiKeys = parseApiKeys(`admin:${ADMIN_KEY},write+read:${WRITE_KEY}`)
      const server = await startServer({ store, port: 0, apiKeys })
      try {
        const writer = await connect(server.url, WRITE_KEY)
        for (const [name, args] of [
          ['cleanup_old_executions', { confirm: true, days: 30 }],
          ['backup_database', {}],
          ['validate_backup', { file: 'backups/learning_db_backup_20260101_000000.duckdb' }],
        ] as const) {
          const r = await call(writer, name, args)
          assert.equal(r.isError, true)
          assert.match(resultText(r), new RegExp(`${name} needs the 'admin' scope`))
        }
        const stats = await call(writer, 'execution_statistics', { time_range: '30d' })
        assert.equal(
          (stats.structuredContent as { performance: { total_executions: number } }).performance
            .total_executions,
          1,
        )
        await writer.close()
        assert.equal(await countRows(store, 'executions'), 2)

        const admin = await connect(server.url, ADMIN_KEY)
        const noConfirm = await call(admin, 'cleanup_old_executions', { days: 30 })
        assert.equal(noConfirm.isError, true)
        assert.match(resultText(noConfirm), /confirm/)
        const done = await call(admin, 'cleanup_old_executions', { days: 30, confirm: true })
        assert.equal(done.isError, undefined, resultText(done))
        assert.equal((done.structuredContent as { deleted_count: number }).deleted_count, 1)
        const backup = await call(admin, 'backup_database')
        const file = (backup.structuredContent as { file_in_data_dir: string }).file_in_data_dir
        const valid = await call(admin, 'validate_backup', { file })
        assert.deepEqual(
          [
            (valid.structuredContent as { valid: boolean }).valid,
            (valid.structuredContent as { record_count: number }).record_count,
          ],
          [true, 1],
        )
        await admin.close()
        assert.equal(await countRows(store, 'executions'), 1)
      } finally {
        await server.close()
      }
    }))

  it(
    'should serve statistics and metrics from the built `orb-learning mcp` over stdio',
    { skip: !existsSync(CLI) },
    () =>
      withTempDir(async (dir) => {
        const client = new Client({ name: 'stdio-tools-test', version: '0.0.0' })
        await client.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [CLI, 'mcp', '--db', join(dir, 'learning.duckdb')],
            stderr: 'pipe',
          }),
        )
        try {
          const { tools } = await client.listTools()
          for (const name of ['execution_statistics', 'performance_metrics', 'cleanup_old_executions'])
            assert.ok(
              tools.some((t) => t.name === name),
              `${name} is listed`,
            )
          await call(client, 'record_executions', {
            records: [
              execution({ duration_seconds: 10 }),
              execution({ duration_seconds: 20, success: false }),
            ],
          })
          const m = await call(client, 'performance_metrics', { time_range: '24h' })
          const metrics = m.structuredContent as { executions: number; duration: { avg_seconds: number } }
          assert.deepEqual([metrics.executions, metrics.duration.avg_seconds], [2, 15])
          const s = await call(client, 'execution_statistics', { time_range: '1h' })
          assert.equal(
            (s.structuredContent as { performance: { success_rate: number } }).performance.success_rate,
            50,
          )
          const bad = await call(client, 'performance_metrics', { time_range: '12h' })
          assert.equal(bad.isError, true)
          assert.match(resultText(bad), /time_range/)
          // The data directory is the database's folder: the backup lands next to it.
          const backup = await call(client, 'backup_database')
          assert.ok(existsSync((backup.structuredContent as { file: string }).file))
          assert.ok((backup.structuredContent as { file: string }).file.startsWith(join(dir, 'backups')))
        } finally {
          await client.close()
        }
      }),
  )
})
