import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { calibrateCost } from '../src/learning/calibrate-cost.js'
import { evaluatePolicies } from '../src/learning/evaluate-policies.js'
import { seededRandom } from '../src/learning/random.js'
import { recommendRoute } from '../src/learning/recommend-route.js'
import { getRoutingCalibration } from '../src/learning/routing-calibration.js'
import { tuneThresholds } from '../src/learning/tune-thresholds.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const TRUTH: Record<string, number> = { small: 0.5, medium: 0.85, large: 0.95 }
const COST: Record<string, number> = { small: 0.001, medium: 0.003, large: 0.01 }

describe('learning evaluation', () => {
  it('should estimate logged and counterfactual policies from the decision log', () =>
    withStore(async (store) => {
      const random = seededRandom(11)
      await recordExecutions(store, [execution({ model_tier: 'medium', pool_type: 'default' })])
      const settings = { explore_floor: 0.3 }
      for (let batch = 0; batch < 6; batch++) {
        const outcomes = []
        for (let i = 0; i < 50; i++) {
          const r = await recommendRoute(
            store,
            {
              task_type: 'refactor',
              task_description: `task ${batch} ${i}`,
              repo: 'orb/api',
              complexity_score: 40,
            },
            { random, settings },
          )
          const tier = r.chosen.model_tier
          outcomes.push(
            execution({
              task_id: r.task_id,
              model_tier: tier,
              pool_type: 'default',
              complexity_score: 40,
              success: random() < TRUTH[tier]!,
              actual_cost: COST[tier],
            }),
          )
        }
        await recordExecutions(store, outcomes)
      }
      const report = await evaluatePolicies(store, { days: 7 })
      assert.equal(report.decisions, 300)
      const byName = new Map(report.estimates.map((e) => [e.policy, e]))
      assert.deepEqual(
        [...byName.keys()],
        ['always-large', 'always-medium', 'always-small', 'static_rule', 'greedy', 'logged'],
      )
      const medium = byName.get('always-medium')!
      assert.equal(medium.status, 'ok')
      assert.ok(medium.ess > 30)
      // Within three standard errors of the truth at its effective sample (a wrong weighting misses by more).
      const se = Math.sqrt((TRUTH.medium! * (1 - TRUTH.medium!)) / medium.ess)
      assert.ok(Math.abs(medium.snips! - TRUTH.medium!) < 3 * se, `${medium.snips} at ESS ${medium.ess}`)
      assert.equal(byName.get('logged')!.status, 'ok')
      await assert.rejects(
        evaluatePolicies(store, { policies: ['sometimes-large'] }),
        /unknown policy "sometimes-large"/,
      )

      const calibration = await getRoutingCalibration(store, { days: 7 })
      assert.ok(calibration.joined > 250)
      assert.ok(calibration.brier! > 0 && calibration.brier! < 0.3)
      assert.ok(calibration.reliability.length > 0)
      assert.ok(calibration.tier_share.reduce((a, s) => a + s.share, 0) > 0.99)
    }))

  it('should say when the log cannot support an estimate', () =>
    withStore(async (store) => {
      const report = await evaluatePolicies(store)
      assert.equal(report.decisions, 0)
      assert.ok(report.estimates.every((e) => e.status === 'insufficient_data'))
    }))

  it('should suggest thresholds that send simple tasks to the small tier', () =>
    withStore(async (store) => {
      const random = seededRandom(2)
      const rows = []
      for (let i = 0; i < 3000; i++) {
        const complexity = i % 100
        const tier = ['small', 'medium', 'large'][i % 3]!
        const p =
          tier === 'large'
            ? 0.95
            : tier === 'medium'
              ? complexity < 80
                ? 0.93
                : 0.6
              : complexity < 50
                ? 0.93
                : 0.4
        rows.push(
          execution({
            model_tier: tier,
            complexity_score: complexity,
            success: random() < p,
            actual_cost: COST[tier],
          }),
        )
      }
      await recordExecutions(store, rows)
      const report = await tuneThresholds(store, { tolerance: 0.03 })
      const [refactor] = report.task_types
      assert.equal(refactor?.task_type, 'refactor')
      const cuts = Object.fromEntries(refactor!.thresholds.map((t) => [t.model_tier, t.min_complexity]))
      assert.ok(cuts.medium! >= 30 && cuts.medium! <= 60 && cuts.large! >= 70, JSON.stringify(cuts))
      assert.ok(refactor!.expected_cost < refactor!.static_rule!.expected_cost)
      await assert.rejects(
        tuneThresholds(store, { tolerance: 2 }),
        /tolerance must be between 0 and 1, got 2/,
      )
    }))

  it('should calibrate a biased cost estimate and report the error before and after', () =>
    withStore(async (store) => {
      const random = seededRandom(4)
      const rows = Array.from({ length: 200 }, () => {
        const estimate = 0.01 + random() * 0.02
        return execution({
          model_tier: 'medium',
          cost_estimate: estimate,
          actual_cost: estimate * 1.5 * (0.9 + random() * 0.2),
        })
      })
      await recordExecutions(store, rows)
      const c = await calibrateCost(store, {
        model_tier: 'medium',
        task_type: 'refactor',
        estimated_tokens: 1000,
        cost_estimate: 0.02,
      })
      assert.equal(c.basis, 'cost_estimate')
      assert.equal(c.scope, 'tier_task_type')
      assert.ok(Math.abs(c.calibrated_cost! - 0.03) < 0.002, String(c.calibrated_cost))
      assert.ok(c.interval![0] < 0.03 && c.interval![1] > 0.03)
      assert.ok(c.holdout.before!.mape > 25 && c.holdout.after!.mape < 8, JSON.stringify(c.holdout))
      await assert.rejects(
        calibrateCost(store, {
          model_tier: 'medium',
          task_type: 'refactor',
          estimated_tokens: 10,
          cost_estimate: -1,
        }),
        /cost_estimate must be >= 0, got -1/,
      )
    }))
})
