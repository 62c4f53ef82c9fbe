import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { listFilterValues } from '../src/analytics/filter-values.js'
import { listQueries, runQuery } from '../src/analytics/query-registry.js'
import { invalidateRollups, refreshRollups } from '../src/analytics/rollup-refresh.js'
import { queryRows } from '../src/db/query-rows.js'
import { mulberry32 } from '../src/demo/generate-executions.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { openStore, type Store } from '../src/store.js'
import { assertClose } from './support/analytics-fixture.js'
import { execution } from './support/executions.js'

const DAY = 86_400_000
const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!

function randomRecords(
  rand: () => number,
  n: number,
  now: number,
  ids?: string[],
): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const success = rand() < 0.8
    return execution({
      ...(ids ? { task_id: ids[i] } : {}),
      timestamp: new Date(now - 60_000 - rand() * 40 * DAY).toISOString(),
      repo: pick(rand, ['a', 'b', 'c']),
      model_tier: pick(rand, ['small', 'medium', 'large']),
      pool_type: pick(rand, ['p1', 'p2']),
      task_type: pick(rand, ['t1', 't2', 't3']),
      success,
      duration_seconds: Math.round(rand() * 6000) / 100,
      quality_score: rand() < 0.2 ? null : Math.floor(rand() * 101),
      cost_estimate: rand() < 0.1 ? 0 : Math.round(rand() * 1000) / 1000,
      actual_cost: Math.round(rand() * 1000) / 1000,
      routing_confidence: Math.round(rand() * 100) / 100,
      user_accepted: rand() < 0.5 ? null : rand() < 0.7,
      user_rating: rand() < 0.6 ? null : 1 + Math.floor(rand() * 5),
      error_type: success ? null : pick(rand, ['timeout', 'crash', null]),
    })
  })
}

// Only the queries that read facts can differ between rollup and raw; comparing all costs little.
const WINDOWS = (now: number) => [
  {},
  { range: '90d' },
  { since: new Date(now - 13.3 * DAY).toISOString(), until: new Date(now - 2.71 * DAY).toISOString() },
  { range: '30d', model_tier: 'large', repo: 'b' },
  { range: '7d', pool_type: 'p2' },
]

async function compareAll(store: Store, now: Date, windows = WINDOWS(now.getTime())): Promise<number> {
  let rollupBacked = 0
  for (const q of listQueries()) {
    for (const params of windows) {
      const accepted = Object.fromEntries(
        Object.entries(params).filter(([k]) => q.params.includes(k as never)),
      )
      const fromRollup = await runQuery(store, q.name, accepted, { now })
      // A query that read no rollup row computed everything from raw rows already: nothing to compare.
      if (fromRollup.source === 'raw') continue
      rollupBacked++
      const fromRaw = await runQuery(store, q.name, accepted, { now, useRollups: false })
      assertClose(fromRollup.rows, fromRaw.rows, 1e-12, `${q.name} ${JSON.stringify(accepted)}`)
    }
  }
  // The dashboard's filter pickers: the same values in the same order (most used first).
  assert.deepEqual(await listFilterValues(store), await listFilterValues(store, { useRollups: false }))
  return rollupBacked
}

/** The most rows any group of either rollup table has (1 when compact). */
async function rowsPerGroup(store: Store): Promise<number> {
  const [row] = await store.read((c) =>
    queryRows<{ n: number }>(
      c,
      `SELECT greatest(
         (SELECT max(n) FROM (SELECT count(*) AS n FROM rollup_daily GROUP BY day, repo, model_tier, task_type, pool_type)),
         (SELECT max(n) FROM (SELECT count(*) AS n FROM rollup_hourly GROUP BY hour, repo, pool_type))) AS n`,
    ),
  )
  return row?.n ?? 0
}

describe('rollups', () => {
  let dir: string
  let store: Store
  const rand = mulberry32(7)
  const now = new Date()
  let ids: string[] = []
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orb-learning-test-'))
    store = await openStore({ path: join(dir, 'learning.duckdb') })
    const result = await recordExecutions(store, randomRecords(rand, 800, now.getTime()))
    assert.equal(result.inserted, 800)
    ids = result.task_ids
  })
  after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('should give the same answers from rollups as from raw rows on random data', async () => {
    assert.ok((await compareAll(store, now)) > 50)
  })

  it('should stay exact after retried tasks move between days, tiers and outcomes', async () => {
    const retried = ids.slice(0, 150)
    const result = await recordExecutions(store, randomRecords(rand, 150, now.getTime(), retried))
    assert.equal(result.updated, 150)
    await recordExecutions(store, randomRecords(rand, 100, now.getTime()))
    const w = WINDOWS(now.getTime())
    await compareAll(store, now, [w[0]!, w[2]!])
  })

  it('should stay exact after rows are deleted with plain SQL (retention) and refreshRollups runs', async () => {
    const cutoff = new Date(now.getTime() - 25 * DAY)
    await store.withWriter((c) =>
      c.run('DELETE FROM executions WHERE timestamp < $cutoff::TIMESTAMP', {
        cutoff: cutoff.toISOString().replace('T', ' ').replace('Z', ''),
      }),
    )
    // Without the count check, a refresh sees only days written through the store: none here.
    assert.equal((await refreshRollups(store, { check: false })).days_refreshed, 0)
    const report = await refreshRollups(store)
    assert.ok(report.days_refreshed >= 10, `refreshed ${report.days_refreshed} days`)
    const w = WINDOWS(now.getTime())
    await compareAll(store, now, [w[1]!, w[3]!])
  })

  it('should pick up in-place SQL updates once the changed days are invalidated', async () => {
    const from = new Date(now.getTime() - 10 * DAY)
    await store.withWriter((c) =>
      c.run(
        `UPDATE executions SET user_rating = 5, user_accepted = true WHERE timestamp >= $from::TIMESTAMP`,
        {
          from: from.toISOString().replace('T', ' ').replace('Z', ''),
        },
      ),
    )
    invalidateRollups(store, from)
    await compareAll(store, now, WINDOWS(now.getTime()).slice(0, 1))
  })

  it('should fold batches of new rows in without recomputing their days, and stay exact', async () => {
    await refreshRollups(store) // settled, and checked: queries below do not check again for 10 s
    await recordExecutions(store, randomRecords(rand, 300, now.getTime()))
    // An import keeps its own uploaded_at: those rows cannot be found by the batch stamp.
    const imported = randomRecords(rand, 200, now.getTime()).map((e, i) =>
      i % 40 === 0 ? { ...e, uploaded_at: new Date(now.getTime() - 50 * DAY).toISOString() } : e,
    )
    await recordExecutions(store, imported)
    const folded = await refreshRollups(store, { check: false })
    assert.ok(folded.days_refreshed > 10, `folded into ${folded.days_refreshed} days`)
    // The folds appended their aggregates as more rows of existing groups: answers must not change.
    assert.ok((await rowsPerGroup(store)) > 1)
    const w = WINDOWS(now.getTime())
    assert.ok((await compareAll(store, now, [w[0]!, w[2]!, w[3]!])) > 20)
    // Every day's count agrees: a full check finds nothing left to recompute, and compacts the groups.
    assert.equal((await refreshRollups(store)).days_refreshed, 0)
    assert.equal(await rowsPerGroup(store), 1)
    assert.ok((await compareAll(store, now, [w[0]!])) > 5)
  })

  it('should leave the watermark to the next check after a plain fold, and that check recomputes nothing', async () => {
    await refreshRollups(store)
    const watermark = async () => {
      const [row] = await store.read((c) =>
        queryRows<{ mark: string | null; newest: string }>(
          c,
          `SELECT (SELECT value FROM metadata WHERE key = 'rollup_watermark')::TIMESTAMP::VARCHAR AS mark,
                  max(uploaded_at)::VARCHAR AS newest FROM executions`,
        ),
      )
      return row!
    }
    assert.equal((await watermark()).mark, (await watermark()).newest)
    await recordExecutions(store, randomRecords(rand, 200, now.getTime()))
    assert.ok((await refreshRollups(store, { check: false })).days_refreshed > 0)
    const lagging = await watermark()
    assert.ok(lagging.mark! < lagging.newest, 'a plain fold does not write the watermark')
    // The check moves it up first, so the folded days are not taken for stale ones.
    assert.equal((await refreshRollups(store)).days_refreshed, 0)
    const caught = await watermark()
    assert.equal(caught.mark, caught.newest)
    assert.ok((await compareAll(store, now, [WINDOWS(now.getTime())[0]!])) > 5)
  })

  it('should compact at the first check of the next process what folds left when the store closed', async () => {
    const path = join(dir, 'folds.duckdb')
    const first = await openStore({ path })
    await recordExecutions(first, randomRecords(rand, 200, now.getTime()))
    await refreshRollups(first)
    await recordExecutions(first, randomRecords(rand, 200, now.getTime()))
    await refreshRollups(first, { check: false })
    await first.close()
    const second = await openStore({ path })
    try {
      assert.ok((await rowsPerGroup(second)) > 1, 'the folds left groups with several rows')
      await refreshRollups(second)
      assert.equal(await rowsPerGroup(second), 1)
    } finally {
      await second.close()
    }
  })

  it('should refresh in the background after a write, from the watermark', async () => {
    await recordExecutions(store, [execution({ timestamp: new Date(Date.now() - 1000).toISOString() })])
    // No query runs here: only the background refresh (delay: 250 ms or 10x the last refresh) can catch up.
    const deadline = Date.now() + 20_000
    let row: { n: number | null; raw: number } | undefined
    do {
      await new Promise((r) => setTimeout(r, 200))
      ;[row] = await store.read((c) =>
        queryRows<{ n: number | null; raw: number }>(
          c,
          `SELECT (SELECT executions FROM rollup_days WHERE day = current_date) AS n,
                  (SELECT count(*) FROM executions WHERE timestamp::DATE = current_date) AS raw`,
        ),
      )
    } while (row?.n !== row?.raw && Date.now() < deadline)
    assert.equal(row?.n, row?.raw)
  })

  it('should rebuild everything on request and still agree', async () => {
    await refreshRollups(store, { full: true })
    await compareAll(store, now, WINDOWS(now.getTime()).slice(2))
  })
})
