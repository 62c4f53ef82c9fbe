import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { getQueryInfo, listQueries, runQuery } from '../src/analytics/query-registry.js'
import { LearningError } from '../src/errors.js'
import { withStore } from './support/temp-store.js'

const NOW = new Date('2026-03-10T12:00:00Z')

async function rejects(params: unknown, pattern: RegExp, code = 'invalid_input', name = 'success_rate_24h') {
  await withStore(async (store) => {
    await assert.rejects(runQuery(store, name, params, { now: NOW }), (error: unknown) => {
      assert.ok(error instanceof LearningError)
      assert.equal(error.code, code)
      assert.match(error.message, pattern)
      return true
    })
  })
}

describe('query parameters', () => {
  it('should reject ranges outside the allow-list, naming the parameter and value', async () => {
    await rejects({ range: '7D' }, /range must be one of 1h, 24h, 7d, 30d, 90d, got "7D"/)
    await rejects({ range: '2h' }, /range must be one of .*got "2h"/)
    await rejects({ range: '7d; DROP TABLE executions' }, /range must be one of/)
    await rejects({ range: "' OR '1'='1" }, /range must be one of/)
  })

  it('should reject unknown keys, bad dates, since after until and absurd windows', async () => {
    await rejects({ rnage: '7d' }, /unknown parameter "rnage"/)
    await rejects({ since: 'yesterday' }, /since must be an ISO 8601 date/)
    await rejects(
      { since: '2026-03-09T00:00:00Z', until: '2026-03-01T00:00:00Z' },
      /since must be before until/,
    )
    await rejects({ since: '1990-01-01', until: '2026-01-01' }, /at most 10 years/)
    await rejects({ range: '7d', since: '2026-03-01' }, /range or since, not both/)
    await rejects({ bucket: 'minute' }, /bucket is not a parameter|bucket must be one of/)
    await rejects({ bucket: 'day' }, /bucket is not a parameter of this query/)
    await rejects({ repo: '' }, /repo must not be empty/)
    await rejects('7d', /must be an object/)
  })

  it('should answer not_found for an unknown query name', async () => {
    await rejects({}, /unknown query "nope"/, 'not_found', 'nope')
    assert.throws(() => getQueryInfo('nope'), /unknown query/)
  })

  it('should resolve the default window and echo the resolved parameters', () =>
    withStore(async (store) => {
      const result = await runQuery(store, 'executions_over_time', { repo: "x' OR '1'='1" }, { now: NOW })
      assert.deepEqual(result.params, {
        range: '7d',
        since: '2026-03-03T12:00:00.000Z',
        until: '2026-03-10T12:00:00.000Z',
        repo: "x' OR '1'='1",
        bucket: 'hour',
      })
      assert.deepEqual(result.rows, [])
      const explicit = await runQuery(
        store,
        'success_rate_24h',
        { since: '2026-03-01', until: '2026-03-02 06:00' },
        { now: NOW },
      )
      assert.equal(explicit.params.since, '2026-03-01T00:00:00.000Z')
      assert.equal(explicit.params.until, '2026-03-02T06:00:00.000Z')
      assert.equal(explicit.params.range, undefined)
    }))

  it('should list every query with its accepted parameters and result columns', () => {
    const queries = listQueries()
    const names = queries.map((q) => q.name)
    assert.equal(new Set(names).size, names.length)
    for (const name of [
      'execution_count_24h',
      'top_errors',
      'avg_routing_confidence',
      'duration_percentiles',
    ]) {
      assert.ok(names.includes(name), name)
    }
    const series = queries.find((q) => q.name === 'executions_over_time')!
    assert.ok(series.params.includes('bucket'))
    assert.equal(series.result.kind, 'series')
    assert.deepEqual(series.result.columns, ['time', 'value'])
  })
})
