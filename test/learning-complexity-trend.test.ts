import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { sigmoid } from '../src/learning/beta.js'
import { type BucketCounts, fitComplexityTrend, trendMean } from '../src/learning/complexity-trend.js'
import type { Cell } from '../src/learning/option-stats.js'
import { levelPriorStrengths } from '../src/learning/prior-strength.js'
import { seededRandom } from '../src/learning/random.js'
import { recommendRoute } from '../src/learning/recommend-route.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const ZERO: Cell = { s: 0, f: 0, rw: 0, r1: 0, r2: 0, cw: 0, c1: 0, c2: 0, dw: 0, d1: 0, d2: 0 }

/** Outcomes per bucket drawn at σ(intercept + slope·(b − 4.5)), `n` per bucket in `buckets`. */
function draw(intercept: number, slope: number, buckets: number[], n: number): BucketCounts[] {
  const random = seededRandom(21)
  return buckets.map((bucket) => {
    let s = 0
    for (let i = 0; i < n; i++) if (random() < sigmoid(intercept + slope * (bucket - 4.5))) s++
    return { bucket, s, f: n - s }
  })
}

describe('complexity trend', () => {
  it('should recover the log-odds line through the buckets', () => {
    const fit = fitComplexityTrend(draw(0.5, -0.9, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 400), 0.5, 1)
    assert.ok(Math.abs(fit.intercept - 0.5) < 0.15, `intercept ${fit.intercept}`)
    assert.ok(Math.abs(fit.slope + 0.9) < 0.08, `slope ${fit.slope}`)
  })

  it('should extrapolate to buckets without data, and be the flat type mean without data or when off', () => {
    // Only the easy buckets were tried: the hard ones are predicted lower than any observed rate.
    const easyOnly = draw(0.5, -0.9, [0, 1, 2, 3], 300)
    const fit = fitComplexityTrend(easyOnly, 0.8, 1)
    assert.ok(trendMean(fit, 8) < 0.3, `bucket 8: ${trendMean(fit, 8)}`)
    for (const flat of [fitComplexityTrend([], 0.8, 1), fitComplexityTrend(easyOnly, 0.8, 0)]) {
      assert.equal(flat.slope, 0)
      assert.ok(Math.abs(trendMean(flat, 3) - 0.8) < 1e-9)
    }
  })

  it('should measure the buckets spread around the trend, not around the type mean', () => {
    // Buckets exactly on a steep line: around the trend they spread like binomial noise only.
    const entries = draw(0, -1, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 500).map(
      ({ bucket, s, f }): [string, Cell] => [`small\u0000refactor\u0000${bucket}`, { ...ZERO, s, f }],
    )
    const sum = (field: 's' | 'f') => entries.reduce((a, [, c]) => a + c[field], 0)
    const total: Cell = { ...ZERO, s: sum('s'), f: sum('f') }
    const cells: [string, Cell][] = [...entries, ['small\u0000refactor', total]]
    const around = (slopeSd: number) => levelPriorStrengths(cells, slopeSd)[1]!
    assert.ok(around(1) > 10 * around(0), `trend ${around(1)}, type mean ${around(0)}`)
  })

  it('should rank a cheap tier by complexity where it was seldom tried', () =>
    withStore(async (store) => {
      // Small ran refactors across the buckets, succeeding less as they got harder.
      const rows: Record<string, unknown>[] = []
      const random = seededRandom(22)
      for (let i = 0; i < 600; i++) {
        const complexity = 5 + 10 * (i % 8)
        rows.push(
          execution({
            model_tier: 'small',
            pool_type: 'default',
            complexity_score: complexity,
            success: random() < sigmoid(2.5 - 0.1 * complexity),
            daysAgo: 1,
          }),
        )
      }
      await recordExecutions(store, rows)
      const small = async (complexity_score: number, complexity_slope_sd: number) => {
        const r = await recommendRoute(
          store,
          {
            task_type: 'refactor',
            task_description: `Refactor module ${complexity_score}`,
            repo: 'orb/new',
            complexity_score,
            estimated_tokens: 1000,
          },
          {
            policy: { explore: false },
            dryRun: true,
            settings: { complexity_slope_sd, knn_limit: 0 },
          },
        )
        return r.options.find((o) => o.model_tier === 'small')!.predicted_success
      }
      // Bucket 9 never ran: the trend expects the worst rate; the type average does not.
      const [hardOn, hardOff] = [await small(95, 1), await small(95, 0)]
      assert.ok(hardOn < hardOff - 0.15, `complexity 95: ${hardOn} with the trend, ${hardOff} without`)
      assert.ok(hardOn < 0.25, `complexity 95 with the trend: ${hardOn}`)
    }))
})
