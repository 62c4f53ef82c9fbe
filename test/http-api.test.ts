import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { execution } from './support/executions.js'
import { getJson, type Json, postJson, withServer } from './support/http-server.js'

function assertErrorShape(body: Json, code: string, pattern?: RegExp): void {
  assert.deepEqual(Object.keys(body), ['error'])
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'details', 'message'])
  assert.equal(body.error.code, code)
  assert.equal(typeof body.error.message, 'string')
  assert.doesNotMatch(body.error.message, /\n\s+at /, 'no stack trace')
  if (pattern) assert.match(body.error.message, pattern)
}

describe('http api: executions', () => {
  it('should store one record and return it by task_id', () =>
    withServer(async (url) => {
      const record = execution({ repo: 'orb/web', metadata: { agent: 'coder', n: 2 } })
      const posted = await postJson(`${url}/v1/executions`, record)
      assert.equal(posted.status, 201)
      assert.deepEqual(posted.body, { inserted: 1, updated: 0, rejected: [], task_ids: [record.task_id] })
      const got = await getJson(`${url}/v1/executions/${record.task_id}`)
      assert.equal(got.status, 200)
      assert.equal(got.body.repo, 'orb/web')
      assert.equal(got.body.timestamp, record.timestamp)
      assert.deepEqual(got.body.metadata, { agent: 'coder', n: 2 })
      assert.equal(got.body.embedding, null)
      const withEmbedding = await getJson(`${url}/v1/executions/${record.task_id}?include_embedding=true`)
      assert.equal(withEmbedding.body.embedding.length, 384)
    }))

  it('should store the valid records of an array and report the rejected ones', () =>
    withServer(async (url) => {
      const first = execution()
      const posted = await postJson(`${url}/v1/executions`, [
        first,
        execution({ routing_confidence: 1.7 }),
        execution(),
      ])
      assert.equal(posted.status, 201)
      assert.equal(posted.body.inserted, 2)
      assert.deepEqual(posted.body.rejected, [
        {
          index: 1,
          task_id: posted.body.rejected[0].task_id,
          error: 'routing_confidence must be between 0 and 1, got 1.7',
        },
      ])
      const retry = await postJson(`${url}/v1/executions`, { ...first, success: false })
      assert.deepEqual([retry.status, retry.body.inserted, retry.body.updated], [201, 0, 1])
    }))

  it('should answer 400 with per-record errors when nothing is valid', () =>
    withServer(async (url, store) => {
      const posted = await postJson(`${url}/v1/executions`, [execution({ repo: '' }), { task_type: 'x' }])
      assert.equal(posted.status, 400)
      assertErrorShape(posted.body, 'invalid_input', /no valid record: record 0: repo must not be empty/)
      assert.equal(posted.body.error.details.rejected.length, 2)
      const status = await getJson(`${url}/v1/status`)
      assert.equal(status.body.record_count, 0)
      assert.equal(status.body.path, store.path)
    }))

  it('should refuse non-JSON, empty, scalar and too deeply nested bodies with 400', () =>
    withServer(async (url) => {
      const cases: [string, RegExp][] = [
        ['{"task_type": ', /not valid JSON/],
        ['', /empty/],
        ['[]', /empty array/],
        ['42', /no valid record/],
        [`${'['.repeat(200)}${']'.repeat(200)}`, /nests 200 levels/],
        [
          JSON.stringify({ ...execution(), metadata: { a: { b: 'x'.repeat(10) } }, extra: 1 }),
          /unknown field "extra"/,
        ],
      ]
      for (const [body, pattern] of cases) {
        const res = await postJson(`${url}/v1/executions`, body, true)
        assert.equal(res.status, 400, body.slice(0, 40))
        assertErrorShape(res.body, 'invalid_input', pattern)
      }
    }))

  it('should refuse a body over the limit with 413 and store nothing', () =>
    withServer(
      async (url) => {
        const big = Array.from({ length: 50 }, () => execution({ task_description: 'y'.repeat(200) }))
        const res = await postJson(`${url}/v1/executions`, big)
        assert.equal(res.status, 413)
        assertErrorShape(res.body, 'invalid_input', /exceeds the limit of 4096 bytes/)
        assert.equal((await getJson(`${url}/v1/status`)).body.record_count, 0)
      },
      { bodyLimitBytes: 4096 },
    ))

  it('should read a body sized by Content-Length and a chunked one alike, with the same limit', () =>
    withServer(
      async (url) => {
        // Node's stream when Content-Length is known, hono's limit for a chunked body: both must agree.
        const post = (text: string, chunked: boolean) =>
          fetch(`${url}/v1/executions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            ...(chunked ? { body: new Blob([text]).stream(), duplex: 'half' as const } : { body: text }),
          })
        const small = execution({ task_description: 'naïve café ☕ split in 3 chunks' })
        const sized = await post(JSON.stringify(small), false)
        const chunked = await post(JSON.stringify({ ...small, task_id: execution().task_id }), true)
        assert.deepEqual([sized.status, chunked.status], [201, 201])
        const big = JSON.stringify(
          Array.from({ length: 50 }, () => execution({ task_description: 'y'.repeat(200) })),
        )
        const over = [await post(big, false), await post(big, true)]
        assert.deepEqual(
          over.map((r) => r.status),
          [413, 413],
        )
        const status = await getJson(`${url}/v1/status`)
        assert.equal(status.body.record_count, 2)
        const stored = await getJson(`${url}/v1/executions/${small.task_id}`)
        assert.equal(stored.body.task_description, small.task_description)
      },
      { bodyLimitBytes: 4096 },
    ))

  it('should answer 404 for an unknown task_id and 400 for a malformed one', () =>
    withServer(async (url) => {
      const missing = await getJson(`${url}/v1/executions/00000000-0000-4000-8000-000000000000`)
      assert.equal(missing.status, 404)
      assertErrorShape(missing.body, 'not_found', /no execution with task_id/)
      const bad = await getJson(`${url}/v1/executions/${encodeURIComponent("' OR '1'='1")}`)
      assert.equal(bad.status, 400)
      assertErrorShape(bad.body, 'invalid_input', /task_id must be a UUID/)
      const unknownParam = await getJson(`${url}/v1/executions/00000000-0000-4000-8000-000000000000?x=1`)
      assert.equal(unknownParam.status, 400)
      assertErrorShape(unknownParam.body, 'invalid_input', /unknown query parameter "x"/)
    }))

  it('should answer 503 with Retry-After when the write queue is full', () =>
    withServer(
      async (url, store) => {
        const filling = recordExecutions(
          store,
          Array.from({ length: 3000 }, () => execution()),
        )
        const res = await postJson(`${url}/v1/executions`, execution())
        assert.equal(res.status, 503)
        assert.equal(res.headers.get('retry-after'), '1')
        assertErrorShape(res.body, 'unavailable', /write queue is full/)
        assert.equal((await filling).inserted, 3000)
      },
      { store: { maxQueuedRecords: 10 } },
    ))
})

describe('http api: core', () => {
  it('should report health, status and a stable 404 for unknown endpoints', () =>
    withServer(async (url) => {
      const health = await getJson(`${url}/health`)
      assert.equal(health.status, 200)
      assert.equal(health.body.status, 'ok')
      assert.equal(health.body.database, 'connected')
      await postJson(`${url}/v1/executions`, [execution(), execution()])
      const status = await getJson(`${url}/v1/status`)
      assert.equal(status.body.record_count, 2)
      assert.equal(status.body.schema_version >= 1, true)
      const unknown = await getJson(`${url}/v1/nope`)
      assert.equal(unknown.status, 404)
      assertErrorShape(unknown.body, 'not_found', /no endpoint GET \/v1\/nope/)
    }))

  it('should send security headers', () =>
    withServer(async (url) => {
      const res = await fetch(`${url}/health`)
      assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/)
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
      assert.equal(res.headers.get('x-frame-options'), 'SAMEORIGIN')
    }))

  it('should serve the dashboard page and its files, and nothing else from disk', () =>
    withServer(async (url) => {
      const page = await fetch(`${url}/`)
      assert.equal(page.status, 200)
      assert.match(page.headers.get('content-type') ?? '', /text\/html/)
      assert.match(await page.text(), /<script src="\/assets\/echarts\.min\.js"><\/script>/)
      const echarts = await fetch(`${url}/assets/echarts.min.js`)
      assert.equal(echarts.status, 200)
      assert.match(echarts.headers.get('content-type') ?? '', /javascript/)
      assert.ok((await echarts.text()).length > 500_000)
      for (const path of [
        '/assets/..%2Fpackage.json',
        '/assets/..%2F..%2Fpackage.json',
        '/assets/nope.js',
        '/assets/',
      ]) {
        const res = await fetch(`${url}${path}`)
        assert.equal(res.status, 404, path)
        assert.equal(((await res.json()) as Json).error.code, 'not_found')
      }
    }))
})
