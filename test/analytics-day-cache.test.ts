import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runQuery } from '../src/analytics/query-registry.js'
import { dayOf } from '../src/analytics/rollup-build.js'
import { invalidateRollups, refreshRollups } from '../src/analytics/rollup-refresh.js'
import { rollupDaysChanged } from '../src/analytics/rollup-versions.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { recordFeedback } from '../src/learning/record-feedback.js'
import type { Store } from '../src/store.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const TIERS = ['small', 'medium', 'large']
const REPOS = ['orb/api', 'orb/web']

/** Executions spread over the last `days` days, several tiers, repos and durations a day. */
function spread(days: number, perDay: number): Record<string, unknown>[] {
  return Array.from({ length: days * perDay }, (_, i) =>
    execution({
      daysAgo: 1 + Math.floor(i / perDay) + (i % perDay) / (perDay * 2),
      model_tier: TIERS[i % TIERS.length],
      repo: REPOS[i % REPOS.length],
      duration_seconds: 1 + ((i * 7) % 40),
      success: i % 5 !== 0,
      task_type: i % 3 === 0 ? 'bugfix' : 'refactor',
      solution_summary: `Solution ${i % 4}`,
      quality_score: i % 7 === 0 ? null : 50 + (i % 50),
    }),
  )
}

const tierPerformance = (store: Store, params: Record<string, unknown> = { range: '30d' }) =>
  runQuery(store, 'tier_performance', params)

/** The day-cached queries: tier_performance keeps whole days' rows, solution_patterns their partial sums. */
const CACHED = ['tier_performance', 'solution_patterns']

async function assertMatchesRaw(
  store: Store,
  params: Record<string, unknown> = { range: '30d' },
): Promise<void> {
  for (const name of CACHED) {
    const cached = await runQuery(store, name, params)
    const raw = await runQuery(store, name, params, { useRollups: false })
    assert.ok(cached.rows.length > 0, name)
    assert.deepEqual(cached.rows, raw.rows, name)
  }
}

/** The total_executions of one day's rows of an answer. */
function executionsOn(rows: Record<string, unknown>[], day: string): number {
  return rows
    .filter((r) => String(r.date).startsWith(day))
    .reduce((sum, r) => sum + Number(r.total_executions), 0)
}

describe('day cache of tier_performance and solution_patterns', () => {
  it("should reuse a whole day's rows until that day's rollup version moves, then read the day again", () =>
    withStore(async (store) => {
      await recordExecutions(store, spread(6, 9))
      await refreshRollups(store, { full: true })
      const first = await tierPerformance(store)
      await assertMatchesRaw(store)
      // Change one day's rollup rows behind the versions' back: a reused day cannot see it.
      const day = dayOf(new Date(Date.now() - 3 * 86_400_000))
      const before = executionsOn(first.rows, day)
      assert.ok(before > 0)
      await store.withWriter((conn) =>
        conn.run('UPDATE rollup_daily SET executions = executions + 100 WHERE day = $day::DATE', { day }),
      )
      assert.equal(executionsOn((await tierPerformance(store)).rows, day), before)
      // Once the day's version moves, the day is read from the rollup again (and only that day changes).
      rollupDaysChanged(store, [day])
      const reread = await tierPerformance(store)
      assert.ok(executionsOn(reread.rows, day) >= before + 100)
      const other = dayOf(new Date(Date.now() - 2 * 86_400_000))
      assert.equal(executionsOn(reread.rows, other), executionsOn(first.rows, other))
      // Invalidating the day recomputes it from the raw rows: the answer is right again.
      invalidateRollups(store, day, day)
      await assertMatchesRaw(store)
    }))

  it('should match the raw answer after new, late, retried, rated and deleted executions', () =>
    withStore(async (store) => {
      const { task_ids } = await recordExecutions(store, spread(8, 6))
      await refreshRollups(store, { full: true })
      const filtered = { range: '30d', repo: 'orb/web' }
      const steps: [string, () => Promise<unknown>][] = [
        [
          'rows of today',
          () =>
            recordExecutions(
              store,
              spread(1, 4).map((e) => ({ ...e, timestamp: new Date().toISOString() })),
            ),
        ],
        [
          'late rows of a past day',
          () => recordExecutions(store, [execution({ daysAgo: 5.5, model_tier: 'large' })]),
        ],
        [
          'a retry that moves a row to another day',
          () => recordExecutions(store, [execution({ task_id: task_ids[3], daysAgo: 7.2 })]),
        ],
        ['feedback', () => recordFeedback(store, { task_id: task_ids[10]!, rating: 2, accepted: false })],
        [
          'rows deleted with SQL, then refreshed as retention does',
          async () => {
            const cutoff = new Date(Date.now() - 6 * 86_400_000)
            await store.withWriter((conn) =>
              conn.run('DELETE FROM executions WHERE timestamp < $cutoff::TIMESTAMP', {
                cutoff: cutoff.toISOString().replace('T', ' ').replace('Z', ''),
              }),
            )
            await refreshRollups(store, { from: new Date(Date.now() - 30 * 86_400_000), to: cutoff })
          },
        ],
        ['a full rebuild', () => refreshRollups(store, { full: true })],
      ]
      for (const [what, change] of steps) {
        // Fill the caches, change the data, and ask again: the answers must follow the change.
        for (const name of CACHED) {
          await runQuery(store, name, { range: '30d' })
          await runQuery(store, name, filtered)
        }
        await change()
        await assertMatchesRaw(store).catch((e: Error) => assert.fail(`after ${what}: ${e.message}`))
        await assertMatchesRaw(store, filtered).catch((e: Error) =>
          assert.fail(`after ${what} (repo filter): ${e.message}`),
        )
      }
    }))

  it("should combine solution patterns from whole days' kept sums until a day's version moves", () =>
    withStore(async (store) => {
      await recordExecutions(store, spread(6, 10))
      await refreshRollups(store, { full: true })
      const first = await runQuery(store, 'solution_patterns', { range: '30d' })
      await assertMatchesRaw(store)
      // Fail every execution of one day behind the versions' back: the kept sums of that day still count.
      const day = dayOf(new Date(Date.now() - 3 * 86_400_000))
      await store.withWriter((conn) =>
        conn.run('UPDATE executions SET success = false WHERE timestamp::DATE = $day::DATE', { day }),
      )
      assert.deepEqual((await runQuery(store, 'solution_patterns', { range: '30d' })).rows, first.rows)
      rollupDaysChanged(store, [day])
      const reread = await runQuery(store, 'solution_patterns', { range: '30d' })
      const successes = (rows: Record<string, unknown>[]) =>
        rows.reduce((n, r) => n + Number(r.success_count), 0)
      assert.ok(successes(reread.rows) < successes(first.rows))
      invalidateRollups(store, day, day)
      await assertMatchesRaw(store)
    }))

  it('should order tied solution patterns the way DuckDB does: NULL quality last, names by their UTF-8 bytes', () =>
    withStore(async (store) => {
      // U+FF21 sorts before U+1F600 in UTF-8 bytes but after it in JS's UTF-16 order.
      const names = ['b fix', '\uFF21 fix', '\u{1F600} fix', 'a fix', 'Ärger fix']
      const rows = names.flatMap((name, k) =>
        Array.from({ length: 6 }, (_, i) =>
          execution({ daysAgo: 1.5 + i, solution_summary: name, quality_score: k === 4 ? null : 80 }),
        ),
      )
      await recordExecutions(store, [
        ...rows,
        ...rows.map((r) => ({ ...r, task_id: crypto.randomUUID(), repo: 'orb/web' })),
      ])
      await refreshRollups(store, { full: true })
      const cached = await runQuery(store, 'solution_patterns', { range: '30d' })
      const raw = await runQuery(store, 'solution_patterns', { range: '30d' }, { useRollups: false })
      assert.deepEqual(cached.rows, raw.rows)
      // Ties on every measure: names in UTF-8 byte order; the pattern without quality comes last.
      assert.deepEqual(
        cached.rows.map((r) => `${r.solution_summary} ${r.repo}`),
        ['a', 'b', '\uFF21', '\u{1F600}', 'Ärger'].flatMap((n) => [`${n} fix orb/api`, `${n} fix orb/web`]),
      )
    }))

  it('should hand out copies: changing an answer does not change the next one', () =>
    withStore(async (store) => {
      await recordExecutions(store, spread(3, 4))
      await refreshRollups(store, { full: true })
      const first = await tierPerformance(store)
      const expected = structuredClone(first.rows)
      for (const row of first.rows) row.total_executions = -1
      assert.deepEqual((await tierPerformance(store)).rows, expected)
    }))
})
