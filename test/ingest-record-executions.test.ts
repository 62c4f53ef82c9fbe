import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecution, recordExecutions } from '../src/ingest/record-executions.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

describe('recordExecutions', () => {
  it('should insert valid records and reject invalid ones individually', () =>
    withStore(async (store) => {
      const result = await recordExecutions(store, [
        execution(),
        execution({ routing_confidence: 1.7 }),
        execution({ repo: '' }),
        execution(),
      ])
      assert.equal(result.inserted, 2)
      assert.equal(result.updated, 0)
      assert.deepEqual(
        result.rejected.map((r) => [r.index, r.error]),
        [
          [1, 'routing_confidence must be between 0 and 1, got 1.7'],
          [2, 'repo must not be empty, got ""'],
        ],
      )
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      assert.equal(row?.n, 2)
    }))

  it('should update the row of a retried task and report it as updated', () =>
    withStore(async (store) => {
      const first = execution({ success: false })
      await recordExecution(store, first)
      const retry = await recordExecution(store, { ...first, success: true, repo: 'orb/web' })
      assert.deepEqual([retry.inserted, retry.updated], [0, 1])
      const rows = await store.read((c) =>
        queryRows<{ success: boolean; repo: string }>(c, 'SELECT success, repo FROM executions'),
      )
      assert.deepEqual(rows, [{ success: true, repo: 'orb/web' }])
    }))

  it('should store SQL-looking strings verbatim', () =>
    withStore(async (store) => {
      const hostile = "'; DROP TABLE executions; --"
      await recordExecution(store, execution({ task_description: hostile, repo: hostile }))
      const rows = await store.read((c) =>
        queryRows<{ task_description: string }>(c, 'SELECT task_description FROM executions'),
      )
      assert.deepEqual(rows, [{ task_description: hostile }])
    }))

  it('should merge concurrent single-record callers and acknowledge each', () =>
    withStore(async (store) => {
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          recordExecution(store, execution({ task_description: `task ${i}` })),
        ),
      )
      assert.equal(
        results.reduce((n, r) => n + r.inserted, 0),
        300,
      )
      const [row] = await store.read((c) =>
        queryRows<{ n: number; e: number }>(c, 'SELECT count(*) AS n, count(embedding) AS e FROM executions'),
      )
      assert.deepEqual(row, { n: 300, e: 300 })
    }))
})
