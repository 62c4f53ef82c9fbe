import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runQuery } from '../src/analytics/query-registry.js'
import { refreshRollups } from '../src/analytics/rollup-refresh.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { recordFeedback } from '../src/learning/record-feedback.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

describe('rollup freshness', () => {
  it('should count feedback ratings in rollup-backed answers as soon as the feedback is recorded', () =>
    withStore(async (store) => {
      const { task_ids } = await recordExecutions(store, [
        execution({ daysAgo: 3 }),
        execution({ daysAgo: 3 }),
        execution({ daysAgo: 5 }),
      ])
      await refreshRollups(store, { full: true })
      const before = await runQuery(store, 'user_feedback', { range: '30d' })
      assert.equal(before.source, 'rollup')
      assert.equal(before.rows[0]?.rated, 0)
      await recordFeedback(store, { task_id: task_ids[0]!, rating: 4, accepted: true })
      await recordFeedback(store, { task_id: task_ids[2]!, rating: 2, accepted: false })
      const after = await runQuery(store, 'user_feedback', { range: '30d' })
      const raw = await runQuery(store, 'user_feedback', { range: '30d' }, { useRollups: false })
      assert.equal(after.source, 'rollup')
      assert.deepEqual(after.rows, raw.rows)
      assert.equal(after.rows[0]?.rated, 2)
      assert.equal(after.rows[0]?.avg_rating, 3)
      assert.equal(after.rows[0]?.acceptance_rate, 50)
    }))

  it('should answer a rollup-backed query right after a batch of new rows and after a retry that moved a row', () =>
    withStore(async (store) => {
      const { task_ids } = await recordExecutions(store, [
        execution({ daysAgo: 4 }),
        execution({ daysAgo: 2 }),
      ])
      await refreshRollups(store, { full: true })
      await recordExecutions(store, [execution({ daysAgo: 4 }), execution({ daysAgo: 0.2 })])
      const count = async () => (await runQuery(store, 'execution_count_24h', { range: '7d' })).rows[0]?.value
      assert.equal(await count(), 4)
      // The retry moves the 4-day-old task out of the window: only the full count check finds the day it left.
      await recordExecutions(store, [execution({ task_id: task_ids[0], daysAgo: 20 })])
      assert.equal(await count(), 3)
      const byDay = await runQuery(store, 'executions_per_day', { range: '30d' })
      const rawByDay = await runQuery(store, 'executions_per_day', { range: '30d' }, { useRollups: false })
      assert.equal(byDay.source, 'rollup')
      assert.deepEqual(byDay.rows, rawByDay.rows)
    }))
})
