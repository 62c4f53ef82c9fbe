import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  QUALITY_WINDOW,
  QualityTarget,
  type TargetOption,
  tuneValuePerSuccess,
} from '../src/learning/quality-target.js'

// Two kinds of task, each with a cheap and a strong option: on the first the strong one buys 0.1 of
// success for 9 (worth it above λ = 90), on the second 0.5 for 9 (worth it above λ = 18).
const easy: TargetOption[] = [
  { success: 0.9, cost: 1, tier: 'small' },
  { success: 1, cost: 10, tier: 'large' },
]
const hard: TargetOption[] = [
  { success: 0.5, cost: 1, tier: 'small' },
  { success: 1, cost: 10, tier: 'large' },
]

describe('tuneValuePerSuccess', () => {
  it('should find the least value of a success that keeps the target on average', () => {
    const tasks = [easy, hard, easy, hard]
    // All cheap keeps 70 % of the strongest success; buying the hard tasks' success reaches 95 %.
    assert.equal(tuneValuePerSuccess(tasks, 0.7), 0)
    const forHard = tuneValuePerSuccess(tasks, 0.9)
    assert.ok(forHard >= 18 && forHard < 18.01, `λ ${forHard}`)
    assert.equal(tuneValuePerSuccess(tasks, 0.95), forHard)
    // 96 % needs the easy tasks' strong option as well.
    const forAll = tuneValuePerSuccess(tasks, 0.96)
    assert.ok(forAll >= 90 && forAll < 90.01, `λ ${forAll}`)
    assert.ok(tuneValuePerSuccess(tasks, 1) >= forAll)
    // Outcomes below the plan's predictions, or a strongest option better than predicted, raise the bar.
    assert.equal(tuneValuePerSuccess(tasks, 0.9, { plan: -0.1, strongest: 0 }), forAll)
    assert.equal(tuneValuePerSuccess(tasks, 0.9, { plan: 0, strongest: 0.06 }), forAll)
    assert.equal(tuneValuePerSuccess(tasks, 0.9, { plan: 0.05, strongest: 0.06 }), forHard)
  })
})

/** Route one task under `target`, its strongest tier run with probability `propensity`. */
function route(target: QualityTarget, options: TargetOption[], taskId: string, propensity: number): void {
  target.awaitOutcome(taskId, target.valueFor(options).plan, propensity)
}

function assertClose(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} vs ${expected}`)
}

function assertBiases(target: QualityTarget, expected: { plan: number; strongest: number }): void {
  const actual = target.biases()
  assertClose(actual.plan, expected.plan)
  assertClose(actual.strongest, expected.strongest)
}

describe('QualityTarget', () => {
  it('should tune over the recent tasks it routed, forgetting those past its window', () => {
    const target = new QualityTarget(0.9)
    // Alone, an easy task keeps 90 % with its cheap option; a hard one needs its strong option.
    assert.equal(target.valueFor(easy).value, 0)
    const alone = target.valueFor(hard).value
    assert.ok(alone >= 18 && alone < 18.01, `λ ${alone}`)
    // A window of easy tasks (and a retune) later, nothing needs buying.
    let value = -1
    for (let i = 0; i < QUALITY_WINDOW + 30; i++) value = target.valueFor(easy).value
    assert.equal(value, 0)
    // Hard tasks coming in raise the value within a retune.
    for (let i = 0; i < 30; i++) value = target.valueFor(hard).value
    assert.ok(value >= 18 && value < 18.01, `λ ${value}`)
  })

  it('should correct its bar by the outcomes of the plan and of the strongest options', () => {
    // The plan keeps 90 % with the cheap option of easy tasks; outcomes say small fails them a third of
    // the time, and large does as predicted.
    const planFails = new QualityTarget(0.9)
    for (let i = 0; i < 600; i++) route(planFails, easy, `t${i}`, 0.5)
    for (let i = 0; i < 600; i++) planFails.observe(`t${i}`, i % 3 !== 0, 'small')
    planFails.observe('never-routed', false, 'small')
    // Planned 0.9 (small, the value tuned before any outcome) against 400 successes in 600, 1,000 pseudo-zeros.
    assertBiases(planFails, { plan: (400 - 600 * 0.9) / 1600, strongest: 0 })
    // Its standard error: gaps +0.1 (400) and −0.9 (200) about their mean −7/30, over 600, trusted alike.
    const planError = (Math.sqrt(400 * (1 / 3) ** 2 + 200 * (2 / 3) ** 2) / 600) * (600 / 1600)
    assertClose(planFails.biasEstimates().plan.standardError, planError)
    assert.equal(planFails.biasEstimates().strongest.standardError, 0)
    let value = 0
    for (let i = 0; i < 30; i++) value = planFails.valueFor(easy).value
    assert.ok(value >= 90, `λ ${value}`)
    // On hard tasks the plan is the strongest option (large, predicted 1), run half the time: a large
    // that fails a third of the time biases both.
    const largeFails = new QualityTarget(0.9)
    for (let i = 0; i < 600; i++) route(largeFails, hard, `t${i}`, 0.5)
    for (let i = 0; i < 600; i++) largeFails.observe(`t${i}`, i % 3 !== 0, i % 2 === 0 ? 'large' : 'medium')
    // Every outcome counts for the plan (shrunk by 1,000); for the strongest option those on large, each
    // weighing 1/0.5 (shrunk by 1,000 in weight).
    assertBiases(largeFails, {
      plan: (400 - 600) / 1600,
      strongest: (2 * (200 - 300)) / (2 * 300 + 1000),
    })
    // The weighted standard error: 300 runs of large weighing 2 (100 failures, gap −1; 200 successes, 0)
    // about their mean −1/3, over a weight of 600, trusted by 600/(600 + 1,000).
    const strongestError = (Math.sqrt(4 * (100 * (2 / 3) ** 2 + 200 * (1 / 3) ** 2)) / 600) * (600 / 1600)
    assertClose(largeFails.biasEstimates().strongest.standardError, strongestError)
    // Past its window (2,000 outcomes) the plan's bias is the window's mean, trusted by 3,000/(3,000 + 1,000).
    const later = new QualityTarget(0.9)
    for (let i = 0; i < 3000; i++) route(later, hard, `t${i}`, 0.5)
    for (let i = 0; i < 3000; i++) later.observe(`t${i}`, i < 1000 || i % 2 === 0, 'large')
    assert.ok(Math.abs(later.biases().plan - -0.5 * (3000 / 4000)) < 1e-12, JSON.stringify(later.biases()))
    // A strongest tier run against the odds (propensity 0.001) weighs at most 30, not 1,000.
    const rare = new QualityTarget(0.9)
    route(rare, hard, 'rare', 0.001)
    rare.observe('rare', false, 'large')
    assertBiases(rare, { plan: -1 / 1001, strongest: -30 / 1030 })
  })
})
