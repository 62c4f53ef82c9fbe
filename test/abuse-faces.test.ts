import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { queryRows } from '../src/db/query-rows.js'
import { ORB_ATTRIBUTES } from '../src/interfaces/otlp/orb-attributes.js'
import { openStore } from '../src/store.js'
import { type FieldCase, fieldCases, INJECTIONS, PARAM_CASES, recordWith } from './support/abuse-cases.js'
import { cliArgs } from './support/cli-process.js'
import { execution } from './support/executions.js'
import { agentTrace, exportRequest } from './support/otlp-spans.js'

const WRITE_KEY = 'k_abuse_write_0123456789'
const READ_KEY = 'k_abuse_read_0123456789'
const ADMIN_KEY = 'k_abuse_admin_0123456789'

// Shared by the cases below: one real server process, counters of what was sent and acknowledged.
let child: ChildProcess
let url = ''
let dir = ''
let cleanup: () => void = () => undefined
let requests = 0
const failures: string[] = []
const acknowledged = new Set<string>()
let otlpAccepted = 0

function expect(ok: boolean, what: string): void {
  requests++
  if (!ok && failures.length < 50) failures.push(what)
}

async function pool<T>(items: readonly T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await fn(items[next++]!)
    }),
  )
}

async function http(path: string, init: RequestInit & { key?: string | null } = {}) {
  const key = init.key === undefined ? WRITE_KEY : init.key
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...(init.headers as Record<string, string> | undefined),
    },
  })
  const text = await res.text()
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    body = { text }
  }
  return { status: res.status, text, body }
}

const names = (c: FieldCase, text: string) => text.includes(c.field)
const label = (c: FieldCase) => `${c.field} ${c.label}`

async function mcpClient(key = WRITE_KEY): Promise<Client> {
  const client = new Client({ name: 'abuse', version: '0' })
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  )
  return client
}

const toolText = (r: CallToolResult) => (r.content[0]?.type === 'text' ? r.content[0].text : '')

describe('abuse: hostile requests across HTTP, MCP and OTLP', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orb-learning-abuse-'))
    cleanup = () => rmSync(dir, { recursive: true, force: true })
    child = spawn(
      process.execPath,
      cliArgs('serve', '--port', '0', '--db', join(dir, 'abuse.duckdb'), '--json'),
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ORB_LEARNING_API_KEYS: `write+read:${WRITE_KEY},read:${READ_KEY},admin:${ADMIN_KEY}`,
        },
      },
    )
    child.stderr!.resume()
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
    url = (JSON.parse(line) as { url: string }).url
  })

  after(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await once(child, 'exit')
    }
    cleanup()
  })

  it('should answer every hostile record over HTTP with 400 naming the field, or store it verbatim', async () => {
    await pool(fieldCases(), 8, async (c) => {
      const one = await http('/v1/executions', { method: 'POST', body: JSON.stringify(recordWith(c)) })
      if (c.valid) {
        expect(one.status === 201, `HTTP single ${label(c)}: ${one.status} ${one.text.slice(0, 200)}`)
        for (const id of (one.body.task_ids as string[] | undefined) ?? []) acknowledged.add(id)
      } else {
        expect(
          one.status === 400 && names(c, one.text),
          `HTTP single ${label(c)}: ${one.status} ${one.text.slice(0, 200)}`,
        )
      }
      const batch = await http('/v1/executions', {
        method: 'POST',
        body: JSON.stringify([execution(), recordWith(c)]),
      })
      const rejected = (batch.body.rejected as { index: number; error: string }[] | undefined) ?? []
      for (const id of (batch.body.task_ids as string[] | undefined) ?? []) acknowledged.add(id)
      expect(
        batch.status === 201 &&
          (c.valid
            ? rejected.length === 0
            : rejected.length === 1 && rejected[0]!.index === 1 && names(c, rejected[0]!.error)),
        `HTTP batch ${label(c)}: ${batch.status} ${batch.text.slice(0, 200)}`,
      )
    })
  })

  it('should refuse malformed bodies, bad paths and hostile query parameters with a 4xx naming the problem', async () => {
    const bodies: [string, string | Uint8Array, number, RegExp][] = [
      ['empty', '', 400, /empty/],
      ['not json', '{"task_type": ', 400, /not valid JSON/],
      ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`, 400, /nests 5000 levels/],
      ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), 400, /UTF-8/],
      [
        'huge body',
        JSON.stringify({ task_description: 'x'.repeat(6 * 1024 * 1024) }),
        413,
        /exceeds the limit/,
      ],
      ['number', '42', 400, /record/],
      ['string', '"hello"', 400, /record/],
      ['null', 'null', 400, /record/],
      ['empty array', '[]', 400, /empty array/],
      ['proto pollution', '{"__proto__": {"admin": true}, "task_type": "x"}', 400, /__proto__/],
    ]
    for (const [what, body, status, message] of bodies) {
      const res = await http('/v1/executions', { method: 'POST', body: body as BodyInit })
      expect(
        res.status === status && message.test(res.text),
        `body ${what}: ${res.status} ${res.text.slice(0, 200)}`,
      )
    }
    for (const s of INJECTIONS) {
      const res = await http(`/v1/executions/${encodeURIComponent(s)}`, { key: READ_KEY })
      expect(
        res.status === 400 && /task_id must be a UUID/.test(res.text),
        `GET id ${s}: ${res.status} ${res.text.slice(0, 200)}`,
      )
      const q = await http(
        `/v1/executions/${crypto.randomUUID()}?include_embedding=${encodeURIComponent(s)}`,
        { key: READ_KEY },
      )
      expect(
        q.status === 400 && /include_embedding/.test(q.text),
        `GET param ${s}: ${q.status} ${q.text.slice(0, 200)}`,
      )
      const unknown = await http(`/v1/status?${encodeURIComponent(s)}=1`, { key: READ_KEY })
      expect(unknown.status === 400 || unknown.status === 200, `GET status ?${s}: ${unknown.status}`)
      const path = await http(`/v1/${encodeURIComponent(s)}`, { key: READ_KEY })
      expect(
        path.status === 404 && /no endpoint/.test(path.text),
        `path ${s}: ${path.status} ${path.text.slice(0, 200)}`,
      )
    }
  })

  it('should refuse requests without a valid key, or with a key lacking the scope', async () => {
    const targets: [string, string, string][] = [
      ['POST', '/v1/executions', JSON.stringify(execution())],
      ['GET', '/v1/status', ''],
      ['GET', '/metrics', ''],
      ['POST', '/mcp', '{}'],
      ['POST', '/v1/traces', '{}'],
    ]
    const headers: [string, Record<string, string>][] = [
      ['no key', {}],
      ['wrong key', { authorization: 'Bearer k_wrong_0123456789abc' }],
      ['basic auth', { authorization: `Basic ${Buffer.from(`u:${WRITE_KEY}`).toString('base64')}` }],
      ['empty bearer', { authorization: 'Bearer' }],
      ['two tokens', { authorization: `Bearer ${WRITE_KEY} extra` }],
      ['sql key', { authorization: "Bearer ' OR '1'='1" }],
      ['empty x-api-key', { 'x-api-key': '' }],
      ['key prefix', { 'x-api-key': WRITE_KEY.slice(0, -1) }],
    ]
    for (const [method, path, body] of targets) {
      for (const [what, h] of headers) {
        const res = await http(path, { method, key: null, headers: h, ...(body ? { body } : {}) })
        expect(
          res.status === 401 && /API key/.test(res.text) && !res.text.includes(WRITE_KEY),
          `${what} ${method} ${path}: ${res.status}`,
        )
      }
      const query = await http(`${path}?api_key=${WRITE_KEY}`, {
        method,
        key: null,
        ...(body ? { body } : {}),
      })
      expect(query.status === 401, `key in query ${method} ${path}: ${query.status}`)
    }
    for (const [method, path, body] of [targets[0]!, targets[4]!]) {
      const res = await http(path, { method, key: READ_KEY, body })
      expect(
        res.status === 403 && /lacks the 'write' scope/.test(res.text),
        `read key ${method} ${path}: ${res.status}`,
      )
    }
  })

  it('should answer every hostile MCP call with isError naming the problem', async () => {
    const client = await mcpClient()
    try {
      await pool(fieldCases(), 8, async (c) => {
        const one = (await client.callTool({
          name: 'record_execution',
          arguments: recordWith(c),
        })) as CallToolResult
        if (c.valid) {
          expect(!one.isError, `MCP record ${label(c)}: ${toolText(one).slice(0, 200)}`)
          for (const id of (one.structuredContent as { task_ids?: string[] } | undefined)?.task_ids ?? [])
            acknowledged.add(id)
        } else {
          expect(
            one.isError === true && names(c, toolText(one)),
            `MCP record ${label(c)}: ${toolText(one).slice(0, 200)}`,
          )
        }
        const many = (await client.callTool({
          name: 'record_executions',
          arguments: { records: [execution(), recordWith(c)] },
        })) as CallToolResult
        const content = many.structuredContent as {
          task_ids: string[]
          rejected: { index: number; error: string }[]
        }
        for (const id of content?.task_ids ?? []) acknowledged.add(id)
        expect(
          !many.isError &&
            (c.valid
              ? content.rejected.length === 0
              : content.rejected[0]?.index === 1 && names(c, content.rejected[0].error)),
          `MCP records ${label(c)}: ${toolText(many).slice(0, 200)}`,
        )
      })
      for (const name of [...INJECTIONS, 'drop_table', '', 'x'.repeat(300), 'DATABASE_STATUS']) {
        const r = (await client.callTool({ name, arguments: {} })) as CallToolResult
        expect(
          r.isError === true && /not found/.test(toolText(r)),
          `MCP unknown tool ${name.slice(0, 40)}: ${toolText(r).slice(0, 120)}`,
        )
      }
      for (const name of INJECTIONS) {
        const r = (await client.callTool({ name: 'run_query', arguments: { name } })) as CallToolResult
        expect(
          r.isError === true && /name/.test(toolText(r)),
          `MCP query name ${name}: ${toolText(r).slice(0, 120)}`,
        )
      }
      for (const [param, value] of PARAM_CASES) {
        const r = (await client.callTool({
          name: 'run_query',
          arguments: { name: 'success_rate_24h', params: { [param]: value } },
        })) as CallToolResult
        expect(
          r.isError === true && toolText(r).includes(param),
          `MCP param ${param}=${String(value).slice(0, 30)}: ${toolText(r).slice(0, 160)}`,
        )
      }
      const badArgs: [string, unknown][] = [
        ['record_executions', { records: [] }],
        ['record_executions', { records: Array.from({ length: 1001 }, () => ({})) }],
        ['record_executions', { records: 'all of them' }],
        ['record_executions', {}],
        ['run_query', {}],
        ['run_query', { name: 5 }],
      ]
      for (const [name, args] of badArgs) {
        const r = (await client.callTool({
          name,
          arguments: args as Record<string, unknown>,
        })) as CallToolResult
        expect(
          r.isError === true && /records|name/.test(toolText(r)),
          `MCP ${name} ${JSON.stringify(args).slice(0, 40)}: ${toolText(r).slice(0, 120)}`,
        )
      }
    } finally {
      await client.close()
    }
    const raw: [string, string][] = [
      ['not json', '{"jsonrpc": "2.0", "id": 1, "method": '],
      ['wrong version', '{"jsonrpc": "1.0", "id": 1, "method": "tools/list"}'],
      ['no method', '{"jsonrpc": "2.0", "id": 1}'],
      ['a number', '42'],
      ['deep', `${'['.repeat(3000)}${']'.repeat(3000)}`],
    ]
    for (const [what, body] of raw) {
      const res = await http('/mcp', {
        method: 'POST',
        body,
        headers: { accept: 'application/json, text/event-stream' },
      })
      expect(
        res.status >= 400 && res.status < 500 && res.text.length > 0,
        `MCP raw ${what}: ${res.status} ${res.text.slice(0, 120)}`,
      )
    }
  })

  it('should answer hostile calls to the analytics, learning and ops tools with isError naming the problem', async () => {
    const unknownTask = '00000000-0000-4000-8000-00000000abcd'
    const task = { task_type: 'refactor', task_description: 'Split the parser', repo: 'orb/api' }
    const cases: [string, Record<string, unknown>, RegExp][] = []
    for (const s of INJECTIONS) {
      // Records above stored the injection strings as tier and pool names: prefix them to be unknown.
      const unknown = `never-seen ${s}`
      cases.push(
        ['execution_statistics', { time_range: s }, /time_range/],
        ['performance_metrics', { time_range: s }, /time_range/],
        ['performance_metrics', { time_range: '7d', [s]: 1 }, /Unrecognized key/],
        ['get_tier_performance', { days: s }, /days/],
        ['get_pool_performance', { repo: 'orb/api', days: s }, /days/],
        ['get_solution_patterns', { minUsage: s }, /minUsage/],
        ['suggest_solutions', { text: 'parser', limit: s }, /limit/],
        [
          'recommend_route',
          { ...task, options: { candidates: { model_tiers: [unknown] } } },
          /model_tiers: unknown tier/,
        ],
        [
          'recommend_route',
          { ...task, options: { candidates: { pool_types: [unknown] } } },
          /pool_types: unknown pool/,
        ],
        ['submit_feedback', { task_id: s, rating: 3 }, /task_id/],
        ['submit_feedback', { task_id: unknownTask, satisfaction: s }, /satisfaction/],
        ['backup_database', { dir: s }, /dir/],
        ['validate_backup', { file: s }, /file/],
        ['cleanup_old_executions', { confirm: true, days: s }, /days/],
        ['cleanup_old_executions', { confirm: s, days: 30 }, /confirm/],
      )
    }
    cases.push(
      ['execution_statistics', { time_range: 7 }, /time_range/],
      ['execution_statistics', { time_range: '2h' }, /time_range/],
      ['performance_metrics', { repo: '' }, /repo/],
      ['performance_metrics', { model_tier: 'x'.repeat(201) }, /model_tier/],
      ['get_tier_performance', { days: 0 }, /days/],
      ['get_tier_performance', { tier: 'gigantic' }, /tier/],
      ['get_pool_performance', { days: 1.5 }, /days/],
      ['get_solution_patterns', { limit: 0 }, /limit/],
      ['suggest_solutions', {}, /text/],
      ['suggest_solutions', { text: ' ' }, /text/],
      ['suggest_solutions', { text: 'x'.repeat(10_001) }, /text/],
      ['recommend_route', { task_type: 'refactor' }, /task_description|repo/],
      ['recommend_route', { ...task, complexity_score: 101 }, /complexity_score/],
      ['recommend_route', { ...task, options: { candidates: { model_tiers: ['gigantic'] } } }, /gigantic/],
      ['recommend_route', { ...task, options: { policy: { quality_tolerance: 2 } } }, /quality_tolerance/],
      ['submit_feedback', { task_id: unknownTask }, /satisfaction/],
      ['submit_feedback', { task_id: unknownTask, rating: 6 }, /rating/],
      ['submit_feedback', { task_id: unknownTask, rating: 3, comment: 'x'.repeat(2001) }, /comment/],
      ['submit_feedback', { task_id: unknownTask, satisfaction: 'poor' }, /issue_type/],
      ['submit_feedback', { task_id: unknownTask, rating: 3 }, /task_id .* has no execution/],
      ['cleanup_old_executions', {}, /confirm/],
      ['cleanup_old_executions', { days: 1 }, /confirm/],
      ['cleanup_old_executions', { confirm: 'true', days: 30 }, /confirm/],
      ['cleanup_old_executions', { confirm: false, days: 30 }, /confirm/],
      ['cleanup_old_executions', { confirm: true, days: 0 }, /days/],
      ['cleanup_old_executions', { confirm: true, days: 99_999 }, /days/],
      ['backup_database', { dir: '../outside' }, /dir/],
      ['backup_database', { dir: '/etc' }, /dir/],
      ['validate_backup', {}, /file/],
      ['validate_backup', { file: '/etc/passwd' }, /file/],
      ['validate_backup', { file: 'abuse.duckdb' }, /file/],
      ['validate_backup', { file: 'backups/../../learning_db_backup_20260101_000000.duckdb' }, /file/],
    )
    const admin = await mcpClient(ADMIN_KEY)
    const writer = await mcpClient(WRITE_KEY)
    try {
      await pool(cases, 4, async ([name, args, pattern]) => {
        const r = (await admin.callTool({ name, arguments: args })) as CallToolResult
        expect(
          r.isError === true && pattern.test(toolText(r)),
          `MCP ${name} ${JSON.stringify(args).slice(0, 60)}: ${toolText(r).slice(0, 160)}`,
        )
      })
      for (const [name, args] of [
        ['backup_database', {}],
        ['validate_backup', { file: 'backups/learning_db_backup_20260101_000000.duckdb' }],
        ['cleanup_old_executions', { confirm: true, days: 1 }],
      ] as const) {
        const r = (await writer.callTool({ name, arguments: args })) as CallToolResult
        expect(
          r.isError === true && toolText(r).includes(`needs the 'admin' scope`),
          `MCP write key ${name}: ${toolText(r).slice(0, 160)}`,
        )
      }
    } finally {
      await admin.close()
      await writer.close()
    }
  })

  it('should reject hostile span attributes in partialSuccess naming them, and malformed exports with 400', async () => {
    const wrong: Record<string, [string, object][]> = {
      string: [
        ['int', { intValue: '5' }],
        ['bool', { boolValue: true }],
        ['array', { arrayValue: { values: [] } }],
        ['double', { doubleValue: 1.5 }],
      ],
      number: [
        ['string', { stringValue: '0.5' }],
        ['bool', { boolValue: true }],
        ['negative', { doubleValue: -1 }],
        ['array', { arrayValue: { values: [{ intValue: '1' }] } }],
      ],
      integer: [
        ['string', { stringValue: '5' }],
        ['fraction', { doubleValue: 1.5 }],
        ['negative', { intValue: '-1' }],
        ['huge', { intValue: '99999999999' }],
      ],
      boolean: [
        ['string', { stringValue: 'true' }],
        ['int', { intValue: '1' }],
      ],
    }
    const cases: { attr: string; column: string; value: object; valid: boolean; what: string }[] = []
    for (const a of ORB_ATTRIBUTES) {
      for (const [what, value] of wrong[a.type]!) {
        // Negative values are legal only where the column has no lower bound; every orb number column has one.
        cases.push({ attr: a.attribute, column: a.column, value, valid: false, what })
      }
      if (a.type === 'string')
        for (const s of INJECTIONS.slice(0, 4))
          cases.push({ attr: a.attribute, column: a.column, value: { stringValue: s }, valid: true, what: s })
    }
    await pool(cases, 8, async (c) => {
      const t = agentTrace({ calls: 0 })
      const span = { ...t.agent, attributes: [...t.agent.attributes, { key: c.attr, value: c.value }] }
      const res = await http('/v1/traces', { method: 'POST', body: JSON.stringify(exportRequest([span])) })
      const partial = res.body.partialSuccess as { rejectedSpans: string; errorMessage: string } | undefined
      if (c.valid) {
        expect(
          res.status === 200 && partial === undefined,
          `OTLP ${c.attr} ${c.what}: ${res.status} ${res.text.slice(0, 200)}`,
        )
        if (res.status === 200 && partial === undefined) otlpAccepted++
      } else {
        expect(
          res.status === 200 &&
            partial?.rejectedSpans === '1' &&
            (partial.errorMessage.includes(c.attr) || partial.errorMessage.includes(c.column)),
          `OTLP ${c.attr} ${c.what}: ${res.status} ${res.text.slice(0, 200)}`,
        )
      }
    })
    const t = agentTrace()
    const malformed: [string, string, number][] = [
      ['not json', '{"resourceSpans": [', 400],
      ['array body', '[]', 400],
      ['resourceSpans not array', '{"resourceSpans": {}}', 400],
      ['scopeSpans string', '{"resourceSpans": [{"scopeSpans": "x"}]}', 400],
      ['spans number', '{"resourceSpans": [{"scopeSpans": [{"spans": 3}]}]}', 400],
      [
        'attribute without key',
        JSON.stringify(exportRequest([{ ...t.agent, attributes: [{ value: { stringValue: 'x' } }] }])),
        400,
      ],
      ['time as words', JSON.stringify(exportRequest([{ ...t.agent, startTimeUnixNano: 'yesterday' }])), 400],
      [
        'sql time',
        JSON.stringify(exportRequest([{ ...t.agent, endTimeUnixNano: "1'; DROP TABLE executions; --" }])),
        400,
      ],
      ['status code string', JSON.stringify(exportRequest([{ ...t.agent, status: { code: 'ERROR' } }])), 400],
      ['deep kvlist', `{"resourceSpans": [${'{"a":['.repeat(100)}${']}'.repeat(100)}]}`, 400],
    ]
    for (const [what, body, status] of malformed) {
      const res = await http('/v1/traces', { method: 'POST', body })
      expect(
        res.status === status && typeof res.body.message === 'string' && res.body.message.length > 10,
        `OTLP ${what}: ${res.status} ${res.text.slice(0, 160)}`,
      )
    }
    const ids: [string, object][] = [
      ['trace id sql', { traceId: INJECTIONS[0] }],
      ['short span id', { spanId: 'abc' }],
      ['parent path', { parentSpanId: '../../etc/passwd' }],
      ['end before start', { endTimeUnixNano: '1' }],
    ]
    for (const [what, patch] of ids) {
      const res = await http('/v1/traces', {
        method: 'POST',
        body: JSON.stringify(exportRequest([{ ...agentTrace().agent, ...patch }])),
      })
      const partial = res.body.partialSuccess as { rejectedSpans: string; errorMessage: string } | undefined
      expect(
        res.status === 200 && partial?.rejectedSpans === '1',
        `OTLP ${what}: ${res.status} ${res.text.slice(0, 160)}`,
      )
    }
  })

  it('should have answered at least 1,000 hostile requests, still be up, and hold only valid, acknowledged rows', async (t) => {
    assert.deepEqual(failures, [])
    t.diagnostic(`${requests} hostile requests answered as expected`)
    assert.ok(requests >= 1000, `${requests} hostile requests`)
    assert.equal(child.exitCode, null, 'the server is still running')
    const health = await fetch(`${url}/health`)
    assert.equal(health.status, 200)
    child.kill('SIGTERM')
    await once(child, 'exit')
    const store = await openStore({ path: join(dir, 'abuse.duckdb'), readOnly: true })
    try {
      const rows = await store.read((c) =>
        queryRows<{ id: string }>(c, 'SELECT task_id::VARCHAR AS id FROM executions'),
      )
      assert.equal(rows.length, acknowledged.size + otlpAccepted)
      const stored = new Set(rows.map((r) => r.id))
      for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged ${id} is stored`)
      const [invalid] = await store.read((c) =>
        queryRows<{ n: number }>(
          c,
          `SELECT count(*) AS n FROM executions WHERE NOT (
             routing_confidence BETWEEN 0 AND 1 AND complexity_score BETWEEN 0 AND 100
             AND coalesce(quality_score BETWEEN 0 AND 100, true) AND coalesce(user_rating BETWEEN 1 AND 5, true)
             AND file_count >= 0 AND estimated_tokens >= 0 AND duration_seconds >= 0 AND cost_estimate >= 0 AND actual_cost >= 0
             AND length(trim(task_type)) > 0 AND length(trim(repo)) > 0 AND length(trim(task_description)) > 0
             AND length(task_description) <= 10000 AND length(repo) <= 200
             AND timestamp <= now()::TIMESTAMP + INTERVAL 5 MINUTE
             AND coalesce(json_type(metadata) = 'OBJECT', true)
             AND coalesce(len(embedding) = 384, true))`,
        ),
      )
      assert.equal(invalid?.n, 0)
      const [feedback] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM feedback'),
      )
      assert.equal(feedback?.n, 0, 'no hostile feedback was stored')
      const [verbatim] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions WHERE task_description = $s', {
          s: INJECTIONS[0]!,
        }),
      )
      assert.ok((verbatim?.n ?? 0) > 0, 'injection strings are stored verbatim, as data')
    } finally {
      await store.close()
    }
  })
})
