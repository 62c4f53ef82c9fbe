import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import {
  descriptionOffset,
  fitLogitOffset,
  type Residual,
  shiftLogOdds,
} from '../src/learning/description-offset.js'
import { type Random, seededRandom } from '../src/learning/random.js'
import { recommendRoute } from '../src/learning/recommend-route.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

/** Outcomes drawn at σ(logit p + offset) for predictions p spread over [0.3, 0.9]. */
function residuals(n: number, offset: number, random: Random): Residual[] {
  return Array.from({ length: n }, () => {
    const predicted = 0.3 + 0.6 * random()
    const truth = 1 / (1 + Math.exp(-(Math.log(predicted / (1 - predicted)) + offset)))
    return { predicted, outcome: random() < truth ? 1 : 0, weight: 1 }
  })
}

describe('description offset', () => {
  it('should recover the log-odds offset of outcomes against their predictions', () => {
    const random = seededRandom(11)
    for (const offset of [-0.8, 0, 0.7]) {
      const fitted = fitLogitOffset(residuals(4000, offset, random), 10)
      assert.ok(Math.abs(fitted - offset) < 0.15, `offset ${offset}: fitted ${fitted}`)
    }
  })

  it('should shrink towards 0 with little evidence and be 0 when turned off', () => {
    const few: Residual[] = [1, 1, 1].map((outcome) => ({ predicted: 0.5, outcome, weight: 1 }))
    const wide = fitLogitOffset(few, 10)
    const narrow = fitLogitOffset(few, 0.5)
    assert.ok(narrow > 0 && narrow < wide / 2, `narrow ${narrow}, wide ${wide}`)
    assert.equal(fitLogitOffset(few, 0), 0)
    assert.equal(fitLogitOffset([], 1), 0)
  })

  it('should subtract the lean the whole task type shares, leaving what the neighbours add', () => {
    const random = seededRandom(12)
    const type = residuals(4000, -0.4, random)
    const neighbours = residuals(4000, 0.4, random)
    const offset = descriptionOffset(neighbours, fitLogitOffset(type, 10), 10)
    assert.ok(Math.abs(offset - 0.8) < 0.2, `offset ${offset}`)
    assert.equal(descriptionOffset([], -0.4, 10), 0)
  })

  it('should move a Beta mean on the log-odds scale at the same strength', () => {
    const moved = shiftLogOdds({ alpha: 60, beta: 40 }, Math.log(4))
    assert.ok(Math.abs(moved.alpha + moved.beta - 100) < 1e-9)
    assert.ok(Math.abs(moved.alpha / 100 - 6 / 7) < 1e-9, `mean ${moved.alpha / 100}`)
    assert.deepEqual(shiftLogOdds({ alpha: 6, beta: 4 }, 0), { alpha: 6, beta: 4 })
  })

  it('should carry what similar tasks on one tier showed to a tier that never ran them', () =>
    withStore(async (store) => {
      const easy = 'Fix typo in error message and update comment'
      const hard = 'Fix race condition in concurrent queue workers with distributed lock'
      const other = 'Add pagination to the list endpoint'
      const base = { complexity_score: 20, estimated_tokens: 1000, pool_type: 'default', daysAgo: 1 }
      const rows: Record<string, unknown>[] = []
      for (let i = 0; i < 300; i++) {
        // Small ran both topics (easy 95 %, hard 30 %); medium ran only a third topic, 70 %.
        rows.push(execution({ ...base, model_tier: 'small', task_description: easy, success: i % 20 !== 0 }))
        rows.push(execution({ ...base, model_tier: 'small', task_description: hard, success: i % 10 < 3 }))
        rows.push(execution({ ...base, model_tier: 'medium', task_description: other, success: i % 10 < 7 }))
      }
      await recordExecutions(store, rows)
      const medium = async (task_description: string, description_offset_sd: number) => {
        const r = await recommendRoute(
          store,
          {
            task_type: 'refactor',
            task_description,
            repo: 'orb/api',
            complexity_score: 20,
            estimated_tokens: 1000,
          },
          { policy: { explore: false }, dryRun: true, settings: { description_offset_sd } },
        )
        return r.options.find((o) => o.model_tier === 'medium')!.predicted_success
      }
      const [easyOn, easyOff, hardOn, hardOff] = [
        await medium(easy, 1),
        await medium(easy, 0),
        await medium(hard, 1),
        await medium(hard, 0),
      ]
      assert.ok(easyOn > easyOff + 0.1, `easy topic: ${easyOn} with the offset, ${easyOff} without`)
      assert.ok(hardOn < hardOff - 0.1, `hard topic: ${hardOn} with the offset, ${hardOff} without`)
    }))
})
