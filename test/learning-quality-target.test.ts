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
    assert.ok(forHard >= 18 && forHard < 18.001, `λ ${forHard}`)
    assert.equal(tuneValuePerSuccess(tasks, 0.95), forHard)
    // 96 % needs the easy tasks' strong option as well.
    const forAll = tuneValuePerSuccess(tasks, 0.96)
    assert.ok(forAll >= 90 && forAll < 90.001, `λ ${forAll}`)
    assert.ok(tuneValuePerSuccess(tasks, 1) >= forAll)
    // Outcomes below the plan's predictions, or a strongest option better than predicted, raise the bar.
    assert.equal(tuneValuePerSuccess(tasks, 0.9, { plan: -0.1, strongest: 0 }), forAll)
    assert.equal(tuneValuePerSuccess(tasks, 0.9, { plan: 0, strongest: 0.06 }), forAll)
    assert.equal(tuneValuePerSuccess(tasks, 0.9, { plan: 0.05, strongest: 0.06 }), forHard)
  })
})

describe('QualityTarget', () => {
  it('should tune over the recent tasks it routed, forgetting those past its window', () => {
    const target = new QualityTarget(0.9)
    // Alone, an easy task keeps 90 % with its cheap option; a hard one needs its strong option.
    assert.equal(target.valueFor(easy), 0)
    assert.equal(target.valueFor(hard), 18)
    // A window of easy tasks (and a retune) later, nothing needs buying.
    let value = -1
    for (let i = 0; i < QUALITY_WINDOW + 30; i++) value = target.valueFor(easy)
    assert.equal(value, 0)
    // Hard tasks coming in raise the value within a retune.
    for (let i = 0; i < 30; i++) value = target.valueFor(hard)
    assert.ok(value >= 18 && value < 18.001, `λ ${value}`)
  })

  it('should correct its bar by the outcomes of the plan and of the strongest options', () => {
    // The plan keeps 90 % with the cheap option of easy tasks; outcomes say small fails them a third of
    // the time, and large does as predicted.
    const planFails = new QualityTarget(0.9)
    for (let i = 0; i < 600; i++) {
      planFails.valueFor(easy, `t${i}`)
      planFails.observe(`t${i}`, i % 3 !== 0, 'small')
    }
    planFails.observe('never-routed', false, 'small')
    // Planned 0.9 (small) or 1 (large, once the bar rose) against 400 successes in 600, 200 pseudo-zeros.
    const { plan, strongest } = planFails.biases()
    assert.ok(plan <= (400 - 600 * 0.9) / 800 && plan >= (400 - 600) / 800, `${plan}`)
    assert.equal(strongest, 0)
    let value = 0
    for (let i = 0; i < 30; i++) value = planFails.valueFor(easy)
    assert.ok(value >= 90, `λ ${value}`)
    // On hard tasks the plan is the strongest option: a large that fails a third of the time biases both.
    const largeFails = new QualityTarget(0.9)
    for (let i = 0; i < 600; i++) {
      largeFails.valueFor(hard, `t${i}`)
      largeFails.observe(`t${i}`, i % 3 !== 0, i % 2 === 0 ? 'large' : 'medium')
    }
    // Every outcome counts for the plan, only those on large for the strongest option.
    assert.deepEqual(largeFails.biases(), { plan: (400 - 600) / 800, strongest: (200 - 300) / 500 })
  })
})
