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
  { success: 0.9, cost: 1 },
  { success: 1, cost: 10 },
]
const hard: TargetOption[] = [
  { success: 0.5, cost: 1 },
  { success: 1, cost: 10 },
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

  it('should raise its bar by the shortfall of outcomes against the success it planned', () => {
    const target = new QualityTarget(0.9)
    // The plan keeps 90 % with the cheap option of easy tasks; outcomes say those tasks fail a third of
    // the time.
    for (let i = 0; i < 600; i++) {
      target.valueFor(easy, `t${i}`)
      target.observe(`t${i}`, i % 3 !== 0)
    }
    target.observe('never-routed', false)
    // Planned 0.9 (cheap) or 1 (strong, once the bar rose) against 400 successes in 600, 200 pseudo-zeros.
    const shortfall = target.shortfall()
    assert.ok(shortfall >= (600 * 0.9 - 400) / 800 && shortfall <= (600 - 400) / 800, `${shortfall}`)
    let value = 0
    for (let i = 0; i < 30; i++) value = target.valueFor(easy)
    assert.ok(value >= 90, `λ ${value}`)
  })
})
