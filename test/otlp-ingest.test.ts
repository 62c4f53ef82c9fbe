import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { queryRows } from '../src/db/query-rows.js'
import { withServer } from './support/http-server.js'
import { agentTrace, exportRequest } from './support/otlp-spans.js'

const post = async (url: string, body: string | Uint8Array, headers: Record<string, string> = {}) => {
  const res = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body as BodyInit,
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> }
}

describe('POST /v1/traces', () => {
  it('should store one execution per agent span and answer {} on full success', () =>
    withServer(async (url, store) => {
      const a = agentTrace({
        calls: 2,
        agentAttrs: { 'orb.pool_type': 'mahavishnu', 'orb.routing_confidence': 0.7 },
      })
      const b = agentTrace({ calls: 1, model: 'gpt-4o-mini' })
      const res = await post(
        url,
        JSON.stringify(exportRequest([...a.children, ...b.children, a.agent, b.agent])),
      )
      assert.equal(res.status, 200)
      assert.deepEqual(res.body, {})
      const rows = await store.read((c) =>
        queryRows<{ task_type: string; model_tier: string; pool_type: string; estimated_tokens: number }>(
          c,
          'SELECT task_type, model_tier, pool_type, estimated_tokens FROM executions ORDER BY model_tier',
        ),
      )
      assert.deepEqual(rows, [
        { task_type: 'code-reviewer', model_tier: 'medium', pool_type: 'mahavishnu', estimated_tokens: 3080 },
        { task_type: 'code-reviewer', model_tier: 'small', pool_type: 'unknown', estimated_tokens: 1540 },
      ])
    }))

  it('should report rejected spans in partialSuccess and store the rest', () =>
    withServer(async (url, store) => {
      const good = agentTrace()
      const bad = agentTrace({ agentAttrs: { 'orb.quality_score': 140 } })
      const res = await post(url, JSON.stringify(exportRequest([good.agent, bad.agent])))
      assert.equal(res.status, 200)
      const partial = res.body.partialSuccess as { rejectedSpans: string; errorMessage: string }
      assert.equal(partial.rejectedSpans, '1')
      assert.match(
        partial.errorMessage,
        new RegExp(`span ${bad.agentId}.*quality_score must be between 0 and 100, got 140`),
      )
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      assert.equal(row?.n, 1)
    }))

  it('should accept gzip, and a re-sent span updates its row instead of duplicating it', () =>
    withServer(async (url, store) => {
      const t = agentTrace()
      const body = gzipSync(JSON.stringify(exportRequest([t.agent])))
      assert.equal((await post(url, body, { 'content-encoding': 'gzip' })).status, 200)
      assert.equal((await post(url, JSON.stringify(exportRequest([t.agent])))).status, 200)
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      assert.equal(row?.n, 1)
    }))

  it('should refuse malformed bodies with 400, protobuf with 415, each naming the problem', () =>
    withServer(async (url, store) => {
      const cases: [string | Uint8Array, Record<string, string>, number, RegExp][] = [
        ['{"resourceSpans": 5}', {}, 400, /resourceSpans/],
        ['not json', {}, 400, /not valid JSON/],
        [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), {}, 400, /not valid UTF-8/],
        ['['.repeat(200) + ']'.repeat(200), {}, 400, /nests 200 levels/],
        ['', {}, 400, /empty/],
        ['{}', { 'content-type': 'application/x-protobuf' }, 415, /protobuf/],
        ['{}', { 'content-encoding': 'br' }, 415, /content-encoding/],
        ['garbage', { 'content-encoding': 'gzip' }, 400, /gzip/],
      ]
      for (const [body, headers, status, message] of cases) {
        const res = await post(url, body, headers)
        assert.equal(res.status, status, `${message}`)
        assert.equal(res.body.code, 3)
        assert.match(String(res.body.message), message)
      }
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      assert.equal(row?.n, 0)
    }))

  it('should answer 503 with Retry-After when the write queue is full', () =>
    withServer(
      async (url) => {
        const spans = Array.from({ length: 40 }, () => agentTrace({ calls: 0 }).agent)
        const results = await Promise.all(
          Array.from({ length: 30 }, () => post(url, JSON.stringify(exportRequest(spans)))),
        )
        const shed = results.filter((r) => r.status === 503)
        assert.ok(shed.length > 0, `some requests were shed (${results.map((r) => r.status).join(',')})`)
        assert.equal(shed[0]!.headers.get('retry-after'), '1')
        assert.match(String(shed[0]!.body.message), /write queue is full/)
      },
      { store: { maxQueuedRecords: 50 } },
    ))
})
