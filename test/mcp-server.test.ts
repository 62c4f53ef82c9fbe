import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { execution } from './support/executions.js'
import { callTool, resultText, withMcpClient } from './support/mcp-client.js'
import { withStore } from './support/temp-store.js'

const count = (store: Parameters<Parameters<typeof withStore>[0]>[0]) =>
  store.read(async (c) => (await queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'))[0]!.n)

describe('mcp server', () => {
  it('should list every tool with a description, an input schema and an output schema', () =>
    withStore((store) =>
      withMcpClient(store, async (client) => {
        const { tools } = await client.listTools()
        const names = tools.map((t) => t.name)
        for (const name of ['database_status', 'record_execution', 'record_executions'])
          assert.ok(names.includes(name), `${name} is listed`)
        for (const tool of tools) {
          assert.ok((tool.description ?? '').length > 40, `${tool.name} has a description`)
          assert.equal(tool.inputSchema.type, 'object')
          assert.equal(tool.outputSchema?.type, 'object', `${tool.name} has an output schema`)
        }
        const record = tools.find((t) => t.name === 'record_execution')!
        assert.ok(record.inputSchema.required?.includes('routing_confidence'))
      }),
    ))

  it('should record an execution and report it in database_status', () =>
    withStore((store) =>
      withMcpClient(store, async (client) => {
        const rec = execution()
        const result = await callTool(client, 'record_execution', rec)
        assert.equal(result.isError, undefined)
        assert.deepEqual(result.structuredContent, {
          inserted: 1,
          updated: 0,
          rejected: [],
          task_ids: [rec.task_id],
        })
        const status = await callTool(client, 'database_status')
        const content = status.structuredContent as { record_count: number; schema_version: number }
        assert.equal(content.record_count, 1)
        assert.ok(content.schema_version >= 1)
        assert.deepEqual(JSON.parse(resultText(status)), status.structuredContent)
      }),
    ))

  it('should answer an invalid record with isError naming the field, and store nothing', () =>
    withStore((store) =>
      withMcpClient(store, async (client) => {
        const range = await callTool(client, 'record_execution', execution({ routing_confidence: 1.7 }))
        assert.equal(range.isError, true)
        assert.match(resultText(range), /routing_confidence/)
        const future = await callTool(
          client,
          'record_execution',
          execution({ timestamp: new Date(Date.now() + 3_600_000).toISOString() }),
        )
        assert.equal(future.isError, true)
        assert.match(resultText(future), /timestamp must not be more than 5 minutes in the future/)
        assert.equal(await count(store), 0)
      }),
    ))

  it('should store the valid records of a batch and list the rejected ones', () =>
    withStore((store) =>
      withMcpClient(store, async (client) => {
        const result = await callTool(client, 'record_executions', {
          records: [execution(), execution({ complexity_score: 101 }), execution()],
        })
        const content = result.structuredContent as {
          inserted: number
          rejected: { index: number; error: string }[]
        }
        assert.equal(content.inserted, 2)
        assert.deepEqual(
          content.rejected.map((r) => r.index),
          [1],
        )
        assert.match(content.rejected[0]!.error, /complexity_score must be between 0 and 100, got 101/)
        assert.equal(await count(store), 2)
      }),
    ))

  it('should refuse a tool whose scope the caller lacks', () =>
    withStore((store) =>
      withMcpClient(
        store,
        async (client) => {
          const result = await callTool(client, 'record_execution', execution())
          assert.equal(result.isError, true)
          assert.match(resultText(result), /needs the 'write' scope/)
          assert.equal(await count(store), 0)
          const status = await callTool(client, 'database_status')
          assert.equal(status.isError, undefined)
        },
        { scopes: new Set(['read']) },
      ),
    ))

  it('should answer an unknown tool with isError naming it', () =>
    withStore((store) =>
      withMcpClient(store, async (client) => {
        const result = await callTool(client, 'drop_everything')
        assert.equal(result.isError, true)
        assert.match(resultText(result), /drop_everything not found/)
      }),
    ))
})

describe('mcp analytics tools', () => {
  it('should list the named queries and run one with a time range', () =>
    withStore(async (store) => {
      await recordExecutions(store, [execution(), execution({ success: false }), execution({ daysAgo: 20 })])
      await withMcpClient(store, async (client) => {
        const list = await callTool(client, 'list_queries')
        const names = (list.structuredContent as { queries: { name: string }[] }).queries.map((q) => q.name)
        assert.ok(names.includes('success_rate_24h'))
        const run = await callTool(client, 'run_query', {
          name: 'execution_count_24h',
          params: { range: '7d' },
        })
        assert.equal(run.isError, undefined, resultText(run))
        const content = run.structuredContent as { rows: { value: number }[]; params: { range: string } }
        assert.equal(content.params.range, '7d')
        assert.equal(content.rows[0]?.value, 2)
      })
    }))

  it('should refuse an unknown query name or a range outside the allow-list, naming it', () =>
    withStore((store) =>
      withMcpClient(store, async (client) => {
        const unknown = await callTool(client, 'run_query', { name: "x'; DROP TABLE executions; --" })
        assert.equal(unknown.isError, true)
        assert.match(resultText(unknown), /name/)
        const range = await callTool(client, 'run_query', {
          name: 'success_rate_24h',
          params: { range: '2h' },
        })
        assert.equal(range.isError, true)
        assert.match(resultText(range), /range/)
      }),
    ))
})

describe('mcp search tools', () => {
  it('should find the most similar past execution for a task description', () =>
    withStore(async (store) => {
      await recordExecutions(store, [
        execution({ task_description: 'Fix the flaky JSON parser test in the CI pipeline' }),
        execution({ task_description: 'Write release notes for version 2' }),
      ])
      await withMcpClient(store, async (client) => {
        const result = await callTool(client, 'find_similar_executions', {
          text: 'fix flaky JSON parser test',
          minSimilarity: 0,
          limit: 1,
        })
        assert.equal(result.isError, undefined, resultText(result))
        const rows = (result.structuredContent as { executions: { task_description: string }[] }).executions
        assert.equal(rows.length, 1)
        assert.match(rows[0]!.task_description, /flaky JSON parser/)
        const bad = await callTool(client, 'find_similar_executions', { text: 'x', limit: 0 })
        assert.equal(bad.isError, true)
        assert.match(resultText(bad), /limit/)
      })
    }))
})

describe('mcp ops tools', () => {
  it('should report alerts and storage statistics', () =>
    withStore(async (store) => {
      await recordExecutions(store, [execution()])
      await withMcpClient(store, async (client) => {
        const alerts = await callTool(client, 'database_alerts')
        assert.equal(alerts.isError, undefined, resultText(alerts))
        assert.match(
          String((alerts.structuredContent as { status: string }).status),
          /^(ok|warning|critical)$/,
        )
        const storage = await callTool(client, 'storage_stats')
        assert.equal(storage.isError, undefined, resultText(storage))
        assert.equal((storage.structuredContent as { row_count: number }).row_count, 1)
      })
    }))
})
