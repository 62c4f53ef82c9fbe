import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { execution } from './support/executions.js'
import { getJson, type Json, withServer } from './support/http-server.js'

const HOUR = 1 / 24

/** 3 executions in the last hour, 5 three days ago, 4 twenty days ago; two repos. */
async function seed(store: Parameters<typeof recordExecutions>[0]): Promise<void> {
  const result = await recordExecutions(store, [
    ...Array.from({ length: 3 }, (_, i) => execution({ daysAgo: HOUR / 2, success: i < 2, repo: 'orb/api' })),
    ...Array.from({ length: 5 }, () => execution({ daysAgo: 3, repo: 'orb/web' })),
    ...Array.from({ length: 4 }, () => execution({ daysAgo: 20, repo: 'orb/api' })),
  ])
  assert.equal(result.inserted, 12)
}

function assertInvalid(res: { status: number; body: Json }, pattern: RegExp): void {
  assert.equal(res.status, 400, JSON.stringify(res.body))
  assert.equal(res.body.error.code, 'invalid_input')
  assert.match(res.body.error.message, pattern)
}

describe('http queries', () => {
  it('should list the named queries with their parameters', () =>
    withServer(async (url) => {
      const { status, body } = await getJson(`${url}/v1/queries`)
      assert.equal(status, 200)
      assert.equal(body.count, body.queries.length)
      assert.ok(body.count >= 17)
      const count = body.queries.find((q: Json) => q.name === 'execution_count_24h')
      assert.equal(count.panel, 'stat')
      assert.ok(count.params.includes('range') && count.params.includes('repo'))
    }))

  it('should run a named query with range and filters', () =>
    withServer(async (url, store) => {
      await seed(store)
      const value = async (q: string) =>
        (await getJson(`${url}/v1/queries/execution_count_24h?${q}`)).body.rows[0].value
      assert.equal(await value('range=24h'), 3)
      assert.equal(await value('range=7d'), 8)
      assert.equal(await value('range=30d'), 12)
      assert.equal(await value('range=30d&repo=orb%2Fapi'), 7)
      const success = await getJson(`${url}/v1/queries/success_rate_24h?range=1h`)
      assert.equal(success.status, 200)
      assert.ok(Math.abs(success.body.rows[0].value - 200 / 3) < 1e-9)
      assert.equal(success.body.params.range, '1h')
    }))

  it('should refuse bad parameters with 400 and unknown names with 404, executing nothing', () =>
    withServer(async (url, store) => {
      await seed(store)
      const q = (name: string, query: string) => getJson(`${url}/v1/queries/${name}?${query}`)
      for (const range of ['7D', '2h', '7d; DROP TABLE executions', "' OR '1'='1"]) {
        assertInvalid(
          await q('execution_count_24h', `range=${encodeURIComponent(range)}`),
          /range must be one of/,
        )
      }
      assertInvalid(
        await q('execution_count_24h', 'since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z'),
        /since must be before until/,
      )
      assertInvalid(await q('execution_count_24h', 'since=1900-01-01'), /at most 10 years/)
      assertInvalid(await q('execution_count_24h', 'since=yesterday'), /since/)
      assertInvalid(await q('execution_count_24h', 'colour=blue'), /unknown parameter "colour"/)
      assertInvalid(await q('execution_count_24h', 'range=7d&since=2026-01-01'), /range or since/)
      const unknown = await q(encodeURIComponent('executions; DROP TABLE executions'), '')
      assert.equal(unknown.status, 404)
      assert.equal(unknown.body.error.code, 'not_found')
      assert.match(unknown.body.error.message, /unknown query/)
      const status = await getJson(`${url}/v1/status`)
      assert.equal(status.body.record_count, 12)
    }))

  it('should load every dashboard panel in one call and refuse a bad range', () =>
    withServer(async (url, store) => {
      await seed(store)
      const { status, body } = await getJson(`${url}/v1/dashboard?range=7d`)
      assert.equal(status, 200)
      assert.equal(body.record_count, 12)
      assert.deepEqual(body.filters.repo, ['orb/api', 'orb/web'])
      const panel = (id: string) => body.panels.find((p: Json) => p.id === id)
      assert.equal(panel('executions').rows[0].value, 8)
      assert.equal(panel('database_growth').rows[0].value, 12, 'growth keeps its 30-day window')
      for (const id of [
        'success_rate',
        'total_cost',
        'executions_over_time',
        'pool_performance',
        'top_errors',
      ]) {
        assert.equal(panel(id).error, undefined, id)
      }
      assert.ok(body.panels.length >= 20)
      const filtered = await getJson(`${url}/v1/dashboard?range=7d&repo=orb%2Fweb`)
      assert.equal(filtered.body.panels.find((p: Json) => p.id === 'executions').rows[0].value, 5)
      assertInvalid(
        await getJson(`${url}/v1/dashboard?range=${encodeURIComponent("7d' --")}`),
        /range must be one of/,
      )
      assertInvalid(
        await getJson(`${url}/v1/dashboard?range=7d&tier=large`),
        /unknown query parameter "tier"/,
      )
    }))
})
