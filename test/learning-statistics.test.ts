import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  betaInterval,
  betaMean,
  betaQuantile,
  estimatePriorStrength,
  regularizedBeta,
} from '../src/learning/beta.js'
import { neighbourEvidence } from '../src/learning/knn-evidence.js'
import { estimatePolicy, type LoggedOutcome } from '../src/learning/off-policy.js'
import { OptionStats } from '../src/learning/option-stats.js'
import { sampleBeta, seededRandom } from '../src/learning/random.js'
import { applyPolicy, DEFAULT_POLICY } from '../src/learning/route-policy.js'
import { resolveRouterSettings, staticRuleTier } from '../src/learning/route-settings.js'
import { drawScale, exploreFloor, ruleMean, ruleWeight } from '../src/learning/success-model.js'
import { thompsonChoose } from '../src/learning/thompson.js'
import { searchThresholds } from '../src/learning/threshold-search.js'
import { TierDrift } from '../src/learning/tier-drift.js'

const near = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-9, `${x} vs ${y}`)

describe('learning statistics', () => {
  it('should compute Beta quantiles that invert the CDF', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (a, b, q) => {
          const x = betaQuantile({ alpha: a, beta: b }, q)
          assert.ok(Math.abs(regularizedBeta(x, a, b) - q) < 1e-6)
        },
      ),
      { numRuns: 200 },
    )
    const [lo, hi] = betaInterval({ alpha: 1, beta: 1 })
    assert.ok(Math.abs(lo - 0.025) < 1e-6 && Math.abs(hi - 0.975) < 1e-6)
  })

  it('should draw Beta samples with the right mean', () => {
    const random = seededRandom(1)
    let sum = 0
    for (let i = 0; i < 20_000; i++) sum += sampleBeta(3, 7, random)
    assert.ok(Math.abs(sum / 20_000 - 0.3) < 0.01)
    assert.equal(betaMean({ alpha: 3, beta: 7 }), 0.3)
  })

  it('should estimate a weak prior for heterogeneous groups and a strong one for homogeneous groups', () => {
    const spread = [0.1, 0.9, 0.2, 0.8, 0.5].map((p) => ({
      successes: p * 200,
      trials: 200,
      parentMean: 0.5,
    }))
    const alike = [0.5, 0.5, 0.5, 0.5, 0.5].map((p) => ({ successes: p * 200, trials: 200, parentMean: 0.5 }))
    assert.ok(estimatePriorStrength(spread) < 5)
    assert.equal(estimatePriorStrength(alike), 200)
  })

  it('should halve the weight of evidence every half-life', () => {
    const now = Date.UTC(2026, 0, 31)
    const stats = new OptionStats(30, now)
    const base = {
      model_tier: 'small',
      pool_type: 'p',
      task_type: 't',
      repo: 'r',
      complexity_score: 5,
      weight: 1,
    }
    stats.add({ ...base, success: 1, time: now - 30 * 86_400_000 })
    stats.add({ ...base, success: 0, time: now })
    const cell = stats.read('small', now)!
    assert.ok(Math.abs(cell.s - 0.5) < 1e-9 && Math.abs(cell.f - 1) < 1e-9)
    const later = stats.read('small', now + 30 * 86_400_000)!
    assert.ok(Math.abs(later.f - 0.5) < 1e-9)
  })

  it('should shift a tier only once its drift has held for `confirm` more outcomes', () => {
    // The same outcomes through a detector that shifts at once and one that waits for 25 more outcomes.
    const run = (confirm: number) => {
      const random = seededRandom(11)
      const drift = new TierDrift({ window: 200, minWindow: 25, minZ: 4, baselineSpan: 5000, confirm })
      const outcome = (p: number) => (random() < p ? 1 : 0)
      // Calibrated outcomes: every alarm is chance; count how often one comes on.
      let onsets = 0
      let up = false
      for (let i = 0; i < 50_000; i++) {
        drift.observe('medium', 0.9, outcome(0.9))
        const shifted = drift.shift('medium') !== 0
        if (shifted && !up) onsets++
        up = shifted
      }
      // Then the tier succeeds half the time.
      let noticedAfter = 0
      for (let i = 1; i <= 400 && noticedAfter === 0; i++) {
        drift.observe('medium', 0.9, outcome(0.5))
        if (drift.shift('medium') < 0) noticedAfter = i
      }
      return { onsets, noticedAfter }
    }
    const [plain, confirmed] = [run(0), run(25)]
    assert.ok(confirmed.onsets < plain.onsets / 2, `chance shifts: ${JSON.stringify({ plain, confirmed })}`)
    assert.ok(
      confirmed.noticedAfter > plain.noticedAfter && confirmed.noticedAfter <= plain.noticedAfter + 25 + 10,
      `a change is still noticed: ${JSON.stringify({ plain, confirmed })}`,
    )
  })

  it('should see a tier drift away from its prediction, and not mistake noise or a standing bias for drift', () => {
    const random = seededRandom(7)
    const drift = new TierDrift({ window: 200, minWindow: 25, minZ: 4, baselineSpan: 5000, confirm: 0 })
    const outcome = (p: number) => (random() < p ? 1 : 0)
    // Calibrated predictions: 5,000 outcomes drawn with the predicted probability rarely shift the tier.
    let falseAlarms = 0
    for (let i = 0; i < 5_000; i++) {
      drift.observe('medium', 0.9, outcome(0.9))
      if (drift.shift('medium') !== 0) falseAlarms++
    }
    assert.ok(falseAlarms < 50, `noise read as drift ${falseAlarms} times of 5,000`)
    // Optimistic predictions (0.9 where the tier does 0.8, a window 200 long is 4.7 standard errors off
    // 0): once that standing offset is known it is no drift.
    let biasAlarms = 0
    for (let i = 0; i < 3_000; i++) {
      drift.observe('large', 0.9, outcome(0.8))
      if (i >= 1_000 && drift.shift('large') !== 0) biasAlarms++
    }
    assert.ok(biasAlarms < 20, `a standing bias read as drift ${biasAlarms} times of 2,000`)
    // The tier now succeeds half the time where the history still says 0.9.
    let noticedAfter = 0
    for (let i = 1; i <= 400 && noticedAfter === 0; i++) {
      drift.observe('medium', 0.9, outcome(0.5))
      if (drift.shift('medium') < 0) noticedAfter = i
    }
    assert.ok(noticedAfter > 0 && noticedAfter <= 40, `drift noticed after ${noticedAfter} outcomes`)
    // The window that shows it starts near the change, so the whole gap shifts the tier at once,
    // not the gap diluted by the calibrated outcomes before it: 0.9 to 0.5 is −2.2 log-odds.
    for (let i = 0; i < 25; i++) drift.observe('medium', 0.9, outcome(0.5))
    assert.ok(
      Math.abs(drift.shift('medium') + 2.2) < 0.5,
      `shift ${drift.shift('medium')} soon after the change, expected about -2.2`,
    )
    for (let i = 0; i < 200; i++) drift.observe('medium', 0.9, outcome(0.5))
    assert.ok(
      Math.abs(drift.shift('medium') + 2.2) < 0.3,
      `shift ${drift.shift('medium')}, expected about -2.2`,
    )
    // The biased tier's drop is measured from its standing offset: 0.8 to 0.5 is −1.39 log-odds, not −2.2.
    for (let i = 0; i < 200; i++) drift.observe('large', 0.9, outcome(0.5))
    assert.ok(
      Math.abs(drift.shift('large') + 1.39) < 0.3,
      `shift ${drift.shift('large')}, expected about -1.39`,
    )
    assert.equal(drift.shift('small'), 0)
    assert.deepEqual([...drift.shifts().keys()], ['medium', 'large'])
  })

  it('should cap neighbour evidence and weight it by similarity', () => {
    const n = (similarity: number, success: boolean) => ({
      similarity,
      model_tier: 'small',
      pool_type: 'p',
      success,
      actual_cost: 1,
      duration_seconds: 1,
      timestamp: 0,
    })
    const e = neighbourEvidence([n(1, true), n(1, true), n(0.5, false), n(0.1, false)], 'small', 'p', {
      now: 0,
      halfLifeDays: 30,
      maxWeight: 100,
      minSimilarity: 0.3,
    })
    assert.deepEqual([e.successes, e.failures, e.count], [2, 0.25, 3])
    const capped = neighbourEvidence(
      Array.from({ length: 50 }, () => n(1, true)),
      'small',
      'p',
      {
        now: 0,
        halfLifeDays: 30,
        maxWeight: 6,
        minSimilarity: 0.3,
      },
    )
    assert.equal(capped.successes, 6)
  })

  it('should pick the cheapest option within tolerance, or the best utility', () => {
    const options = [
      { success: 0.9, cost: 1, duration: 1 },
      { success: 0.95, cost: 3, duration: 1 },
      { success: 0.96, cost: 10, duration: 1 },
    ]
    assert.equal(applyPolicy(DEFAULT_POLICY, options), 1)
    assert.equal(applyPolicy({ ...DEFAULT_POLICY, quality_tolerance: 0.1 }, options), 0)
    assert.equal(applyPolicy({ ...DEFAULT_POLICY, max_cost: 2 }, options), 0)
    assert.equal(applyPolicy({ ...DEFAULT_POLICY, mode: 'max_utility', value_per_success: 100 }, options), 1)
    assert.equal(applyPolicy({ ...DEFAULT_POLICY, mode: 'max_utility', value_per_success: 1000 }, options), 2)
  })

  it('should give propensities that sum to one and never fall below the exploration floor share', () => {
    const random = seededRandom(3)
    const options = ['small', 'medium', 'large'].map((tier, i) => ({
      tier,
      posterior: { alpha: 50 + 20 * i, beta: 10 },
      cost: 10 ** i,
      duration: 1,
    }))
    const choice = thompsonChoose(options, DEFAULT_POLICY, random, { floor: 0.06, draws: 500 })
    assert.ok(Math.abs(choice.probabilities.reduce((a, b) => a + b, 0) - 1) < 1e-9)
    for (const p of choice.probabilities) assert.ok(p >= 0.02 - 1e-9)
    assert.equal(choice.propensity, choice.probabilities[choice.index])
  })

  it('should run a favoured tier on its share besides the floor, with propensities that match the choices', () => {
    const options = ['small', 'medium', 'large'].map((tier, i) => ({
      tier,
      posterior: { alpha: 80 + 5 * i, beta: 20 },
      cost: 10 ** i,
      duration: 1,
    }))
    const settings = { floor: 0.1, draws: 400 }
    const plain = thompsonChoose(options, DEFAULT_POLICY, seededRandom(8), settings)
    const favoured = { tier: 'large', share: 0.25 }
    const random = seededRandom(8)
    let large = 0
    let propensity = 0
    const runs = 2000
    for (let i = 0; i < runs; i++) {
      const c = thompsonChoose(options, DEFAULT_POLICY, random, { ...settings, favoured })
      if (c.index === 2) large++
      propensity += c.probabilities[2]!
      if (i === 0) {
        // The same draws: Thompson's share shrinks to make room, the favoured tier gains the share.
        const thompson = (plain.probabilities[2]! - 0.1 / 3) / 0.9
        near(c.probabilities[2]!, 0.65 * thompson + 0.1 / 3 + 0.25)
        near(c.probabilities[0]!, (0.65 / 0.9) * (plain.probabilities[0]! - 0.1 / 3) + 0.1 / 3)
      }
    }
    assert.ok(Math.abs(large / runs - propensity / runs) < 0.03, `ran ${large / runs}, ${propensity / runs}`)
    assert.ok(large / runs > 0.25 + 0.1 / 3, `ran ${large / runs}`)
  })

  it('should explore less with a deflated posterior and keep the propensities exact', () => {
    // Two close options under the utility rule: the better one (mean 0.80 vs 0.75) wins more often as
    // the draws narrow; the propensity is still the probability of the choice actually made.
    const options = [
      { tier: 'small', posterior: { alpha: 22.5, beta: 7.5 }, cost: 1, duration: 1 },
      { tier: 'medium', posterior: { alpha: 32, beta: 8 }, cost: 1, duration: 1 },
    ]
    const policy = { ...DEFAULT_POLICY, mode: 'max_utility' as const, value_per_success: 10 }
    const share = (scale: number) => {
      const random = seededRandom(6)
      let picked = 0
      let propensity = 0
      for (let i = 0; i < 400; i++) {
        const c = thompsonChoose(options, policy, random, { floor: 0, draws: 400, scale })
        if (c.index === 1) picked++
        propensity += c.probabilities[1]!
      }
      return { picked: picked / 400, propensity: propensity / 400 }
    }
    const [wide, narrow] = [share(1), share(0.5)]
    assert.ok(narrow.picked > wide.picked + 0.1, `picked ${wide.picked} → ${narrow.picked}`)
    for (const s of [wide, narrow]) assert.ok(Math.abs(s.picked - s.propensity) < 0.06, JSON.stringify(s))
  })

  it('should recover the true value of a policy by SNIPS and say when data is too thin', () => {
    const random = seededRandom(5)
    const truth: Record<string, number> = { a: 0.9, b: 0.6 }
    const rows: LoggedOutcome[] = []
    for (let i = 0; i < 5000; i++) {
      const pa = 0.8
      const action = random() < pa ? 'a' : 'b'
      rows.push({
        action,
        propensity: action === 'a' ? pa : 1 - pa,
        reward: random() < truth[action]! ? 1 : 0,
        cost: 1,
      })
    }
    const b = estimatePolicy('always-b', rows, () => 'b')
    assert.equal(b.status, 'ok')
    assert.ok(Math.abs(b.snips! - 0.6) < 0.03, String(b.snips))
    assert.ok(b.interval![0] < 0.6 && 0.6 < b.interval![1])
    assert.equal(b.dr, null, 'no logged predictions, no doubly robust estimate')
    // With the logged predictions (here off by 0.05 for b) the doubly robust estimate is unbiased and tighter.
    const predicted = { a: 0.88, b: 0.65 }
    const withPredictions = estimatePolicy(
      'always-b',
      rows.map((r) => ({ ...r, predicted })),
      () => 'b',
    )
    assert.ok(Math.abs(withPredictions.dr! - 0.6) < 0.03, String(withPredictions.dr))
    const width = (i: [number, number]) => i[1] - i[0]
    assert.ok(withPredictions.dr_interval![0] < 0.6 && 0.6 < withPredictions.dr_interval![1])
    assert.ok(
      width(withPredictions.dr_interval!) < width(b.interval!),
      `DR interval ${withPredictions.dr_interval} vs SNIPS ${b.interval}`,
    )
    const thin = estimatePolicy('always-b', rows.slice(0, 50), () => 'b')
    assert.equal(thin.status, 'insufficient_data')
    assert.match(thin.reason!, /only \d+ matching decisions/)
  })

  it('should find cheaper cut-offs when the small tier is good enough on simple tasks', () => {
    const cells = []
    for (let bucket = 0; bucket < 10; bucket++) {
      cells.push({ bucket, model_tier: 'small', n: 100, successes: bucket < 5 ? 95 : 40, cost: 1 })
      cells.push({ bucket, model_tier: 'medium', n: 100, successes: bucket < 8 ? 95 : 60, cost: 3 })
      cells.push({ bucket, model_tier: 'large', n: 100, successes: 96, cost: 10 })
    }
    const s = searchThresholds(cells, ['small', 'medium', 'large'], 0.02, [0, 30, 60])!
    assert.deepEqual(
      s.thresholds.map((t) => t.min_complexity),
      [0, 50, 80],
    )
    assert.ok(s.expected_cost < s.static_rule!.expected_cost)
    assert.ok(s.expected_success >= s.best_success - 0.02)
  })

  it('should validate router settings and apply the static rule', () => {
    const settings = resolveRouterSettings()
    assert.deepEqual(
      [0, 29, 30, 59, 60, 100].map((c) => staticRuleTier(settings, c)),
      ['small', 'small', 'medium', 'medium', 'large', 'large'],
    )
    assert.throws(() => resolveRouterSettings({ half_life_days: -1 }), /half_life_days/)
    assert.throws(
      () => resolveRouterSettings({ tiers: [{ name: 'x', relative_cost: -1, min_complexity: 0 }] }),
      /relative_cost/,
    )
    assert.throws(() => resolveRouterSettings({ rule_prior_cold_weight: -1 }), /rule_prior_cold_weight/)
    assert.throws(
      () => resolveRouterSettings({ drift_min_window: 300 }),
      /drift_min_window: must be at most drift_window \(200\), got 300/,
    )
    assert.throws(() => resolveRouterSettings({ drift_baseline_span: 0.5 }), /drift_baseline_span/)
    assert.throws(() => resolveRouterSettings({ sample_scale_cold: 0 }), /sample_scale_cold/)
    assert.throws(() => resolveRouterSettings({ sample_scale_cold: 1.5 }), /sample_scale_cold/)
    assert.throws(() => resolveRouterSettings({ explore_floor_cold: -0.1 }), /explore_floor_cold/)
    assert.throws(() => resolveRouterSettings({ explore_floor_cold: 2 }), /explore_floor_cold/)
    assert.throws(
      () => resolveRouterSettings({ explore_floor: 0.5, reference_floor: 0.6 }),
      /reference_floor: explore_floor plus reference_floor must be at most 1, got 0.5 \+ 0.6/,
    )
    assert.throws(() => resolveRouterSettings({ tolerance_bar_sd: -1 }), /tolerance_bar_sd/)
    assert.throws(() => resolveRouterSettings({ difficulty_weight: -1 }), /difficulty_weight/)
    assert.throws(
      () => resolveRouterSettings({ difficulty_weight: Number.POSITIVE_INFINITY }),
      /difficulty_weight.*Infinity/,
    )
    // A trust below 1 would count the shared model for less than its own sample.
    assert.throws(() => resolveRouterSettings({ difficulty_trust: 0.5 }), /difficulty_trust/)
  })

  it('should weigh the static rule most where a task type has no history, its excess halving with evidence', () => {
    const settings = resolveRouterSettings({
      rule_prior_weight: 3,
      rule_prior_cold_weight: 30,
      rule_prior_half_life: 20,
    })
    assert.equal(ruleWeight(settings, 0), 30)
    assert.equal(ruleWeight(settings, 20), 16.5)
    assert.equal(ruleWeight(settings, 40), 9.75)
    assert.ok(Math.abs(ruleWeight(settings, 400) - 3) < 1e-4)
    const flat = resolveRouterSettings({ rule_prior_weight: 3, rule_prior_cold_weight: 3 })
    assert.equal(ruleWeight(flat, 10), 3)
  })

  it('should expect less of a tier below the static rule the further the complexity lies beyond its range', () => {
    const settings = resolveRouterSettings({})
    const near = (x: number, y: number) => assert.ok(Math.abs(x - y) < 1e-3, `${x} vs ${y}`)
    // At or above the rule's tier: 0.85 everywhere.
    for (const complexity of [0, 45, 100]) near(ruleMean(settings, 'large', complexity), 0.85)
    near(ruleMean(settings, 'medium', 59), 0.85)
    // Just below: 0.55 where the rule stops sending the tier, then 0.5 log-odds less per 10 points.
    near(ruleMean(settings, 'small', 30), 0.55)
    near(ruleMean(settings, 'small', 50), 1 / (1 + Math.exp(-(Math.log(0.55 / 0.45) - 1))))
    near(ruleMean(settings, 'medium', 60), 0.55)
    // The weakest tier on the hardest task is far below the next tier there, not 0.1 below it.
    assert.ok(ruleMean(settings, 'small', 100) < 0.1, `${ruleMean(settings, 'small', 100)}`)
    assert.ok(ruleMean(settings, 'medium', 100) > 3 * ruleMean(settings, 'small', 100))
    // An unconfigured tier keeps the neutral prior.
    near(ruleMean(settings, 'xlarge', 80), 0.7)
  })

  it('should narrow the Thompson draws where a task type has no history, the gap to sample_scale halving with evidence', () => {
    const settings = resolveRouterSettings({
      sample_scale: 1,
      sample_scale_cold: 0.2,
      rule_prior_half_life: 20,
    })
    near(drawScale(settings, 0), 0.2)
    near(drawScale(settings, 20), 0.6)
    near(drawScale(settings, 40), 0.8)
    assert.ok(Math.abs(drawScale(settings, 400) - 1) < 1e-5)
    assert.equal(drawScale(resolveRouterSettings({ sample_scale: 0.5, sample_scale_cold: 1 }), 0), 0.5)
  })

  it('should lower the exploration floor where a task type has no history, the gap to explore_floor halving with evidence', () => {
    const settings = resolveRouterSettings({
      explore_floor: 0.1,
      explore_floor_cold: 0.2,
      rule_prior_half_life: 20,
    })
    near(exploreFloor(settings, 0), 0.02)
    near(exploreFloor(settings, 20), 0.06)
    near(exploreFloor(settings, 40), 0.08)
    assert.ok(Math.abs(exploreFloor(settings, 400) - 0.1) < 1e-6)
    assert.equal(exploreFloor(resolveRouterSettings({ explore_floor: 0.05, explore_floor_cold: 1 }), 0), 0.05)
    assert.equal(exploreFloor(resolveRouterSettings({ explore_floor: 0 }), 1000), 0)
  })
})
