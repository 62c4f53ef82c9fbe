import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { execution } from './support/executions.js'
import { getJson, type Json, postJson, withServer } from './support/http-server.js'

describe('http similar', () => {
  it('should find the closest past execution by text, with filters, over GET and POST', () =>
    withServer(async (url, store) => {
      await recordExecutions(store, [
        execution({ task_description: 'Fix the flaky retry test in the HTTP client', repo: 'orb/api' }),
        execution({
          task_description: 'Write release notes for version two',
          repo: 'orb/docs',
          task_type: 'docs',
        }),
        execution({ task_description: 'Fix flaky retry test in the websocket client', repo: 'orb/web' }),
      ])
      const q = new URLSearchParams({
        text: 'flaky retry test in the HTTP client',
        limit: '2',
        min_similarity: '0',
      })
      const got = await getJson(`${url}/v1/similar?${q}`)
      assert.equal(got.status, 200)
      assert.equal(got.body.count, 2)
      assert.match(got.body.results[0].task_description, /HTTP client/)
      assert.ok(got.body.results[0].similarity >= got.body.results[1].similarity)
      const filtered = await getJson(`${url}/v1/similar?${q}&repo=orb%2Fweb`)
      assert.deepEqual(
        filtered.body.results.map((r: Json) => r.repo),
        ['orb/web'],
      )
      const posted = await postJson(`${url}/v1/similar`, {
        text: 'release notes',
        limit: 1,
        minSimilarity: 0,
      })
      assert.equal(posted.status, 200)
      assert.equal(posted.body.results[0].repo, 'orb/docs')
    }))

  it('should refuse bad similarity queries with 400', () =>
    withServer(async (url) => {
      for (const [query, pattern] of [
        ['', /text/],
        ['text=x&limit=ten', /limit/],
        ['text=x&limit=0', /limit must be at least 1/],
        ['text=x&min_similarity=2', /minSimilarity/],
        ['text=x&sql=1', /unknown query parameter "sql"/],
      ] as const) {
        const res = await getJson(`${url}/v1/similar?${query}`)
        assert.equal(res.status, 400, query)
        assert.equal(res.body.error.code, 'invalid_input')
        assert.match(res.body.error.message, pattern, query)
      }
      const both = await postJson(`${url}/v1/similar`, { text: 'x', embedding: Array(384).fill(0.1) })
      assert.equal(both.status, 400)
      assert.match(both.body.error.message, /exactly one of text or embedding/)
    }))
})
