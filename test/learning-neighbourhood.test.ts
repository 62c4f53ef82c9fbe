import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type Neighbour, neighbourEvidence } from '../src/learning/knn-evidence.js'
import { OptionStats } from '../src/learning/option-stats.js'
import { seededRandom } from '../src/learning/random.js'
import { RecentMemory } from '../src/learning/recent-memory.js'
import { DEFAULT_POLICY } from '../src/learning/route-policy.js'
import { resolveRouterSettings } from '../src/learning/route-settings.js'
import { neighbourhoodPrior, predictOption } from '../src/learning/success-model.js'
import { greedyChoose, thompsonChoose, toleranceBar } from '../src/learning/thompson.js'

const now = Date.UTC(2026, 5, 1)

function neighbour(tier: string, success: boolean, complexity: number | null = 20): Neighbour {
  return {
    similarity: 0.95,
    model_tier: tier,
    pool_type: 'p',
    success,
    actual_cost: 1,
    duration_seconds: 1,
    timestamp: now,
    complexity_score: complexity,
  }
}

/** Stats where small succeeds 88 % and large 92 % of the time on (bugfix, api, complexity 20). */
function groupStats(): OptionStats {
  const stats = new OptionStats(30, now)
  const base = { pool_type: 'p', task_type: 'bugfix', repo: 'api', complexity_score: 20, weight: 1 }
  for (let i = 0; i < 200; i++) {
    stats.add({ ...base, model_tier: 'small', success: i % 25 < 3 ? 0 : 1, time: now })
    stats.add({ ...base, model_tier: 'large', success: i % 25 < 2 ? 0 : 1, time: now })
  }
  return stats
}

describe('learning neighbourhood', () => {
  it('should count neighbours of distant complexity less', () => {
    const options = { now, halfLifeDays: 30, maxWeight: 100, minSimilarity: 0.3, complexity: 20 }
    const near = neighbourEvidence([neighbour('small', true, 20)], 'small', 'p', options)
    const far = neighbourEvidence([neighbour('small', true, 50)], 'small', 'p', options)
    const unknown = neighbourEvidence([neighbour('small', true, null)], 'small', 'p', options)
    assert.ok(far.weight < 0.2 * near.weight, `${far.weight} vs ${near.weight}`)
    assert.equal(unknown.weight, near.weight)
  })

  it('should keep the group mean and shrink its strength as neighbour weight reaches the cap', () => {
    const settings = { knn_weight: 20, knn_prior_strength: 10 }
    assert.deepEqual(neighbourhoodPrior(80, 20, 0, settings), { alpha: 80, beta: 20 })
    const full = neighbourhoodPrior(80, 20, 20, settings)
    assert.ok(Math.abs(full.alpha - 8) < 1e-9 && Math.abs(full.beta - 2) < 1e-9)
    const half = neighbourhoodPrior(80, 20, 10, settings)
    assert.ok(Math.abs(half.alpha + half.beta - 55) < 1e-9)
    assert.ok(Math.abs(half.alpha / (half.alpha + half.beta) - 0.8) < 1e-9)
  })

  it('should let similar past tasks move a tier from the group average to within tolerance', () => {
    const settings = resolveRouterSettings()
    const stats = groupStats()
    const context = { task_type: 'bugfix', repo: 'api', complexity_score: 20, estimated_tokens: 0 }
    const input = (neighbours: Neighbour[]) => ({
      stats,
      kappa: [10, 10, 10, 10],
      settings,
      context,
      neighbours,
      now,
    })
    const sampler = (neighbours: Neighbour[]) =>
      ['small', 'large'].map((tier, i) => {
        const o = predictOption(input(neighbours), tier, 'p')
        return { tier, posterior: o.posterior, cost: i === 0 ? 1 : 10, duration: 1 }
      })
    const alone = sampler([])
    assert.equal(alone[greedyChoose(alone, DEFAULT_POLICY)]!.tier, 'large')
    const easy = [
      ...Array.from({ length: 25 }, () => neighbour('small', true)),
      ...Array.from({ length: 25 }, () => neighbour('large', true)),
    ]
    const informed = sampler(easy)
    const small = informed[0]!.posterior
    assert.ok(small.alpha / (small.alpha + small.beta) > 0.94)
    assert.equal(informed[greedyChoose(informed, DEFAULT_POLICY)]!.tier, 'small')
  })

  it('should pick the cheaper tier when the posterior means are within tolerance, greedy and sampled', () => {
    const options = [
      { tier: 'small', posterior: { alpha: 950, beta: 50 }, cost: 1, duration: 1 },
      { tier: 'large', posterior: { alpha: 960, beta: 40 }, cost: 10, duration: 1 },
    ]
    assert.equal(greedyChoose(options, DEFAULT_POLICY), 0)
    const choice = thompsonChoose(options, DEFAULT_POLICY, seededRandom(4), { floor: 0.05, draws: 2000 })
    assert.ok(choice.probabilities[0]! > 0.85, String(choice.probabilities))
    const apart = [options[0]!, { ...options[1]!, posterior: { alpha: 990, beta: 10 } }]
    assert.equal(greedyChoose(apart, DEFAULT_POLICY), 1)
  })

  it('should measure the tolerance from the best option less its posterior sd, so a shaky best sets a lower bar', () => {
    // small 0.93 against large 0.96: 0.03 apart, beyond the 0.02 tolerance of the point estimates.
    const options = (n: number) => [
      { tier: 'small', posterior: { alpha: 93, beta: 7 }, cost: 1, duration: 1 },
      { tier: 'large', posterior: { alpha: 0.96 * n, beta: 0.04 * n }, cost: 10, duration: 1 },
    ]
    const shaky = options(100)
    const sd = Math.sqrt((0.96 * 0.04) / 101)
    assert.ok(Math.abs(toleranceBar(shaky, DEFAULT_POLICY, 1)! - (0.96 - sd)) < 1e-12)
    assert.equal(greedyChoose(shaky, DEFAULT_POLICY, 0), 1)
    assert.equal(greedyChoose(shaky, DEFAULT_POLICY, 1), 0)
    // A large tier known to 0.002 keeps the bar near 0.96: small stays out.
    assert.equal(greedyChoose(options(10_000), DEFAULT_POLICY, 1), 1)
    const sampled = (barSd: number) =>
      thompsonChoose(shaky, DEFAULT_POLICY, seededRandom(5), { floor: 0, draws: 2000, barSd })
        .probabilities[0]!
    assert.ok(sampled(1) > sampled(0) + 0.2, `${sampled(1)} vs ${sampled(0)}`)
    // An option left out by max_cost does not set the bar; max_utility has none.
    assert.ok(
      Math.abs(
        toleranceBar(shaky, { ...DEFAULT_POLICY, max_cost: 2 }, 1)! - (0.93 - Math.sqrt((0.93 * 0.07) / 101)),
      ) < 1e-12,
    )
    assert.equal(toleranceBar(shaky, { ...DEFAULT_POLICY, mode: 'max_utility' }, 1), undefined)
  })

  it('should prefer recent neighbours and weigh them by recency, so that a drift shows', () => {
    const memory = new RecentMemory(100, 2)
    const v = Float32Array.from([1, 0])
    const slot = { pool_type: 'p', actual_cost: 1, duration_seconds: 1, timestamp: now }
    for (let i = 0; i < 40; i++) memory.add('t', v, { ...slot, model_tier: 'medium', success: true })
    for (let i = 0; i < 10; i++) memory.add('t', v, { ...slot, model_tier: 'medium', success: false })
    const near = memory.nearestRecent('t', v, 20, 0.3, 10)
    assert.equal(near.length, 20)
    assert.equal(near.filter((n) => !n.success).length, 10)
    assert.equal(near[0]!.recency, 1)
    const e = neighbourEvidence(near, 'medium', 'p', {
      now,
      halfLifeDays: 30,
      maxWeight: 20,
      minSimilarity: 0.3,
    })
    assert.ok(e.failures > e.successes, `${e.failures} vs ${e.successes}`)
  })
})
