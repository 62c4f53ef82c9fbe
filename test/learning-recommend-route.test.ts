import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { flushDecisions } from '../src/learning/decision-log.js'
import { seededRandom } from '../src/learning/random.js'
import { recommendRoute } from '../src/learning/recommend-route.js'
import { type RouterSettings, resolveRouterSettings } from '../src/learning/route-settings.js'
import { routerState } from '../src/learning/router-state.js'
import type { Store } from '../src/store.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const task = {
  task_type: 'refactor',
  task_description: 'Refactor the JSON parser into smaller functions',
  repo: 'orb/api',
  complexity_score: 20,
  estimated_tokens: 1000,
}

/** History where small fails on this context and medium always succeeds; large succeeds but costs 10x. */
function history(n: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = []
  for (let i = 0; i < n; i++) {
    const tier = ['small', 'medium', 'large'][i % 3]!
    rows.push(
      execution({
        daysAgo: (i % 20) / 10,
        model_tier: tier,
        pool_type: 'default',
        complexity_score: 20,
        estimated_tokens: 1000,
        success: tier !== 'small' || i % 30 === 0,
        actual_cost: tier === 'small' ? 0.001 : tier === 'medium' ? 0.003 : 0.01,
        cost_estimate: 0.002,
      }),
    )
  }
  return rows
}

/** Small's option in the greedy recommendation for `task` under router settings `settings`. */
async function greedySmall(store: Store, settings: Partial<RouterSettings>) {
  const r = await recommendRoute(store, task, { policy: { explore: false }, settings })
  return r.options.find((o) => o.model_tier === 'small')!
}

describe('recommendRoute', () => {
  it('should follow the static complexity rule on an empty store and log the decision', () =>
    withStore(async (store) => {
      const r = await recommendRoute(store, { ...task, complexity_score: 45 }, { waitForLog: true })
      assert.equal(r.cold_start, true)
      assert.equal(r.chosen.model_tier, 'medium')
      assert.equal(r.propensity, 1)
      assert.equal(r.options.length, 3)
      const rows = await store.read((c) =>
        queryRows<{ task_id: string; chosen_tier: string; propensity: number }>(
          c,
          'SELECT task_id::VARCHAR AS task_id, chosen_tier, propensity FROM routing_decisions',
        ),
      )
      assert.deepEqual(rows, [{ task_id: r.task_id, chosen_tier: 'medium', propensity: 1 }])
    }))

  it('should learn the cheapest tier that keeps success and explain its evidence', () =>
    withStore(async (store) => {
      await recordExecutions(store, history(300))
      const r = await recommendRoute(store, task, { policy: { explore: false } })
      assert.equal(r.cold_start, false)
      assert.equal(r.chosen.model_tier, 'medium', r.explanation)
      const small = r.options.find((o) => o.model_tier === 'small')!
      const medium = r.options.find((o) => o.model_tier === 'medium')!
      assert.ok(small.predicted_success < 0.3, `small ${small.predicted_success}`)
      assert.ok(medium.predicted_success > 0.9, `medium ${medium.predicted_success}`)
      assert.ok(
        medium.success_interval[0] < medium.predicted_success &&
          medium.predicted_success < medium.success_interval[1],
      )
      assert.ok(Math.abs(medium.expected_cost - 0.003) < 0.0005, `cost ${medium.expected_cost}`)
      assert.ok(medium.evidence.executions >= 90)
      assert.ok(r.options.reduce((n, o) => n + o.evidence.similar_executions, 0) > 0)
      assert.match(r.explanation, /medium/)
      assert.match(r.explanation, /shared difficulty model 0\.9\d\d for medium \(ceiling 0\.9\d\d\)/)
      // The bar is the best option's mean less one posterior sd: below the best mean, above its 95 % low end.
      const bar = Number(/below the bar (\d\.\d{3})/.exec(r.explanation)?.[1])
      const best = r.options.reduce((a, o) => (o.predicted_success > a.predicted_success ? o : a))
      assert.ok(
        best.success_interval[0] < bar && bar < best.predicted_success,
        `bar ${bar} best ${best.predicted_success}: ${r.explanation}`,
      )
    }))

  it('should buy success where it is cheap under a quality target and log the value it tuned', () =>
    withStore(async (store) => {
      await recordExecutions(store, history(300))
      const policy = { mode: 'quality_target', quality_target: 0.97, explore: false } as const
      const r = await recommendRoute(store, task, { policy, waitForLog: true })
      // Small keeps under 30 % here, far from 97 % of the strongest: its success is worth buying.
      assert.equal(r.chosen.model_tier, 'medium', r.explanation)
      assert.equal(r.policy.mode, 'quality_target')
      const value = r.policy.value_per_success
      assert.ok(value > 0 && Number.isFinite(value), `value ${value}`)
      assert.match(r.explanation, /a success valued at [\d.e+]+ to keep 0.97 of the strongest/)
      // Asking for everything the strongest option has values a success at least as high.
      const all = await recommendRoute(store, task, { policy: { ...policy, quality_target: 1 } })
      assert.ok(all.policy.value_per_success >= value)
      const [row] = await store.read((c) =>
        queryRows<{ policy: string }>(
          c,
          'SELECT policy::VARCHAR AS policy FROM routing_decisions WHERE decision_id = $id',
          { id: r.decision_id },
        ),
      )
      assert.equal(JSON.parse(row!.policy).value_per_success, value)
      // The outcome of a decision it routed reaches the target: a failure it had planned as a success.
      const taskId = randomUUID()
      const routed = await recommendRoute(store, { ...task, task_id: taskId }, { policy })
      await recordExecutions(store, [
        execution({
          task_id: taskId,
          model_tier: routed.chosen.model_tier,
          pool_type: routed.chosen.pool_type,
          success: false,
        }),
      ])
      const state = await routerState(store, resolveRouterSettings())
      const target = [...state.qualityTargets.values()].find((t) => t.target === 0.97)!
      assert.ok(target.biases().plan < 0, JSON.stringify(target.biases()))
      // The explanation shows each bias with its standard error, in points of success: one failure of a
      // planned ~0.97, trusted by 1/(1 + 1,000), and no spread yet.
      const next = await recommendRoute(store, task, { policy, dryRun: true })
      assert.match(
        next.explanation,
        /outcomes against predictions: the plan -0\.1 ± 0\.0, the strongest options [+-]\d+\.\d ± \d+\.\d points of success/,
      )
    }))

  it('should hold to the static rule with a cold weight while a tier has little history, then let go', () =>
    withStore(async (store) => {
      await recordExecutions(store, history(9))
      const small = async (cold: number) =>
        (await greedySmall(store, { rule_prior_cold_weight: cold })).predicted_success
      const flat = await small(3)
      const cold = await small(30)
      // Two failures in three: the rule (small succeeds at complexity 20) still outweighs them at 30.
      assert.ok(cold > flat + 0.1, `cold ${cold} flat ${flat}`)
      assert.ok(cold > 0.6, `cold ${cold}`)
      // 300 outcomes of the task type, 100 of them small's (90 failures): the cold weight has faded.
      await recordExecutions(store, history(291))
      const faded = await small(30)
      assert.ok(faded < 0.3, `faded ${faded}`)
    }))

  it('should let the cold weight fade with the history of the task type, also for a tier that never ran it', () =>
    withStore(async (store) => {
      await recordExecutions(
        store,
        history(450).filter((row) => row.model_tier !== 'small'),
      )
      const small = async (cold: number) => {
        const option = await greedySmall(store, { rule_prior_cold_weight: cold, rule_prior_half_life: 30 })
        assert.equal(option.evidence.executions, 0)
        return option.predicted_success
      }
      // 300 outcomes of medium and large, ten half-lives: small's prior is as with a flat weight.
      const flat = await small(3)
      const cold = await small(30)
      assert.ok(Math.abs(cold - flat) < 0.01, `cold ${cold} flat ${flat}`)
    }))

  it('should pick up outcomes committed after the state was loaded', () =>
    withStore(async (store) => {
      await recordExecutions(store, history(30))
      const before = await recommendRoute(store, task, { policy: { explore: false }, dryRun: true })
      await recordExecutions(store, history(300))
      const after = await recommendRoute(store, task, { policy: { explore: false }, dryRun: true })
      const n = (r: typeof before) => r.options.find((o) => o.model_tier === 'medium')!.evidence.executions
      assert.ok(n(after) > n(before) + 50)
    }))

  it('should notice a tier that got worse everywhere, also in groups that have not seen it fail yet', () =>
    withStore(async (store) => {
      const medium = (i: number, success: boolean, daysAgo: number) =>
        execution({
          daysAgo,
          model_tier: 'medium',
          pool_type: 'default',
          repo: `orb/repo-${i % 6}`,
          complexity_score: 20,
          estimated_tokens: 1000,
          success,
        })
      await recordExecutions(store, [...Array.from({ length: 600 }, (_, i) => medium(i, i % 20 !== 0, 3))])
      const quiet = { ...task, repo: 'orb/repo-5' }
      const ask = (settings: Record<string, unknown>) =>
        recommendRoute(store, quiet, { policy: { explore: false }, dryRun: true, settings })
      const predicted = (r: Awaited<ReturnType<typeof ask>>) =>
        r.options.find((o) => o.model_tier === 'medium')!.predicted_success
      const withDrift = {}
      const withoutDrift = { drift_z: 1e9 }
      const quietBefore = await ask(withDrift)
      const before = [predicted(quietBefore), predicted(await ask(withoutDrift))]
      // Equal up to rounding: each settings key loads its own state, whose decay has its own reference time.
      assert.ok(Math.abs(before[0]! - before[1]!) < 1e-7, `no drift yet: ${before}`)
      assert.doesNotMatch(quietBefore.explanation, /tier drift/)
      // Medium now fails in five repos out of six; repo-5 has not run it since.
      await recordExecutions(
        store,
        Array.from({ length: 150 }, (_, i) => medium(i % 5, false, 0)),
      )
      const drifted = await ask(withDrift)
      const after = [predicted(drifted), predicted(await ask(withoutDrift))]
      assert.ok(after[0]! < after[1]! - 0.15, `with drift ${after[0]}, without ${after[1]}`)
      assert.match(drifted.explanation, /tier drift: medium -\d+\.\d{3} log-odds \(recent outcomes/)
    }))

  it('should count a retried task once, as a load from the table does', () =>
    withStore(async (store) => {
      const records = history(120)
      await recordExecutions(store, records)
      const now = new Date()
      const options = async (settings: Partial<RouterSettings> = {}) =>
        (await recommendRoute(store, task, { policy: { explore: false }, dryRun: true, now, settings }))
          .options
      const before = await options()
      // Every task retried: each record replaces its row, and the live state must not count it again.
      assert.equal((await recordExecutions(store, records)).updated, 120)
      const retried = await options()
      assert.deepEqual(retried, before)
      // A state loaded from the table now (another settings key loads its own) predicts the same.
      const loaded = await options({ feedback_weight: 0.499 })
      loaded.forEach((o, i) => {
        assert.equal(o.evidence.executions, retried[i]!.evidence.executions)
        assert.ok(Math.abs(o.predicted_success - retried[i]!.predicted_success) < 1e-7, o.model_tier)
      })
      // One new task sent twice in a batch is stored once, and counted once.
      const medium = () => retried.find((o) => o.model_tier === 'medium')!.evidence.executions
      const twice = execution({ model_tier: 'medium', pool_type: 'default', complexity_score: 20 })
      await recordExecutions(store, [twice, { ...twice, success: false }])
      const after = (await options()).find((o) => o.model_tier === 'medium')!
      assert.equal(after.evidence.executions, medium() + 1)
    }))

  it('should log a Thompson propensity that matches the observed choice frequency', () =>
    withStore(async (store) => {
      await recordExecutions(store, history(60))
      const random = seededRandom(7)
      const counts = new Map<string, number>()
      let propensitySum = 0
      const runs = 300
      for (let i = 0; i < runs; i++) {
        const r = await recommendRoute(store, task, { random, dryRun: true })
        counts.set(r.chosen.model_tier, (counts.get(r.chosen.model_tier) ?? 0) + 1)
        propensitySum += r.tier_probabilities.medium ?? 0
      }
      const observed = (counts.get('medium') ?? 0) / runs
      assert.ok(Math.abs(observed - propensitySum / runs) < 0.08, `${observed} vs ${propensitySum / runs}`)
      assert.ok((counts.get('small') ?? 0) > 0, 'the exploration floor reaches every tier')
    }))

  it('should stray less from the greedy choice while the task type is new (narrower draws, a lower floor)', () =>
    withStore(async (store) => {
      await recordExecutions(store, history(12))
      const greedyShare = async (settings: Partial<RouterSettings>) => {
        const r = await recommendRoute(store, task, { random: seededRandom(3), dryRun: true, settings })
        return r.tier_probabilities[r.greedy.model_tier]!
      }
      const narrow = await greedyShare({})
      const wide = await greedyShare({ sample_scale_cold: 1 })
      assert.ok(narrow > wide + 0.05, `greedy tier's probability: cold draws ${narrow}, version 6's ${wide}`)
      // The floor is lowered while the type is new, but never to zero: every other tier keeps a share.
      assert.ok(
        narrow < 1 - (2 * 0.1 * 0.2) / 3 + 1e-9,
        'the exploration floor still reaches the other tiers',
      )
      const constantFloor = await greedyShare({ explore_floor_cold: 1 })
      assert.ok(
        narrow > constantFloor + 0.02,
        `greedy tier's probability: ${narrow}, with a constant floor ${constantFloor}`,
      )
    }))

  it("should run the quality target's strongest tier on reference_floor more of its decisions", () =>
    withStore(async (store) => {
      await recordExecutions(store, history(300))
      const strongestShare = async (policy: object, settings: Partial<RouterSettings>) => {
        const r = await recommendRoute(store, task, {
          policy,
          random: seededRandom(3),
          dryRun: true,
          settings: { explore_floor_cold: 1, ...settings },
        })
        const strongest = r.options.reduce((a, o) => (o.predicted_success > a.predicted_success ? o : a))
        return r.tier_probabilities[strongest.model_tier]!
      }
      const target = { mode: 'quality_target', quality_target: 0.97 }
      const plain = await strongestShare(target, {})
      const favoured = await strongestShare(target, { reference_floor: 0.2 })
      // The same draws: Thompson's share makes room (0.9 → 0.7 of the decisions), the strongest tier gains 0.2.
      const thompson = (plain - 0.1 / 3) / 0.9
      assert.ok(Math.abs(favoured - (0.7 * thompson + 0.1 / 3 + 0.2)) < 1e-9, `${plain} → ${favoured}`)
      // Other policies have no reference: the setting changes nothing.
      assert.equal(await strongestShare({}, { reference_floor: 0.2 }), await strongestShare({}, {}))
    }))

  it('should use the given task_id so a later execution joins the decision', () =>
    withStore(async (store) => {
      const id = randomUUID()
      const r = await recommendRoute(store, { ...task, task_id: id }, { waitForLog: true })
      assert.equal(r.task_id, id)
      await recordExecutions(store, [execution({ task_id: id, model_tier: 'large' })])
      const rows = await store.read((c) =>
        queryRows<{ chosen_tier: string; model_tier: string }>(
          c,
          'SELECT d.chosen_tier, e.model_tier FROM routing_decisions d JOIN executions e USING (task_id)',
        ),
      )
      assert.deepEqual(rows, [{ chosen_tier: 'small', model_tier: 'large' }])
    }))

  it('should reject bad input with the field, rule and value, writing nothing', () =>
    withStore(async (store) => {
      const cases: [Record<string, unknown>, Record<string, unknown>, RegExp][] = [
        [{}, { candidates: { model_tiers: ['huge'] } }, /unknown tier "huge"/],
        [{}, { candidates: { pool_types: ['nope'] } }, /unknown pool "nope"/],
        [{}, { candidates: { model_tiers: [] } }, /options.candidates.model_tiers/],
        [
          {},
          { policy: { quality_tolerance: 1.5 } },
          /options.policy.quality_tolerance must be <= 1, got 1.5/,
        ],
        [{}, { policy: { max_cost: -1 } }, /options.policy.max_cost must be >= 0, got -1/],
        [{}, { policy: { quality_target: 0 } }, /options.policy.quality_target must be > 0, got 0/],
        [{ complexity_score: 101 }, {}, /complexity_score must be <= 100, got 101/],
        [{ task_type: '' }, {}, /task_type/],
      ]
      for (const [patch, options, message] of cases) {
        await assert.rejects(
          recommendRoute(store, { ...task, ...patch } as typeof task, options),
          (e: Error) => {
            assert.match(e.message, message)
            assert.equal((e as { code?: string }).code, 'invalid_input')
            return true
          },
        )
      }
      await flushDecisions(store)
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM routing_decisions'),
      )
      assert.equal(row?.n, 0)
    }))
})
