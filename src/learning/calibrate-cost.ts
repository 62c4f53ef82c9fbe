import { z } from 'zod'
import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { describeZodIssue } from './recommend-schema.js'

/** Input of calibrateCost. */
export const CalibrateCostInputSchema = z.strictObject({
  model_tier: z.string().min(1).max(200),
  task_type: z.string().min(1).max(200),
  estimated_tokens: z.number().int().min(0),
  cost_estimate: z.number().min(0).refine(Number.isFinite, 'must be finite').optional(),
  days: z.number().positive().optional(),
})

/** A calibrated cost with its interval and the error report on held-back recent data. */
export interface CostCalibration {
  model_tier: string
  task_type: string
  /** What the calibration was fitted on: the orchestrator's estimate, the token count, or nothing. */
  basis: 'cost_estimate' | 'tokens' | 'none'
  /** 'tier_task_type', or 'tier' when the task type had fewer than 10 usable executions. */
  scope: 'tier_task_type' | 'tier' | 'none'
  calibrated_cost: number | null
  interval: [number, number] | null
  executions: number
  /** Mean absolute percentage error and bias (%) on the most recent 20 %, fitted on the older 80 %. */
  holdout: {
    executions: number
    before: { mape: number; bias: number } | null
    after: { mape: number; bias: number } | null
  }
}

interface Row {
  task_type: string
  cost_estimate: number
  actual_cost: number
  estimated_tokens: number
}

/**
 * Calibrate a cost estimate from history: actual ≈ x · exp(μ + σ²/2) where x is the orchestrator's
 * cost_estimate (or estimated_tokens) and μ, σ the mean and spread of log(actual / x) for the tier and
 * task type (the tier alone when the type has too little history).
 * @example
 * await calibrateCost(store, { model_tier: 'medium', task_type: 'refactor', estimated_tokens: 1200, cost_estimate: 0.02 })
 */
export async function calibrateCost(
  store: Store,
  input: z.input<typeof CalibrateCostInputSchema>,
): Promise<CostCalibration> {
  const parsed = CalibrateCostInputSchema.safeParse(input, { reportInput: true })
  if (!parsed.success) throw invalidInput(describeZodIssue(parsed.error))
  const q = parsed.data
  const rows = await store.read((c) =>
    queryRows<Row>(
      c,
      `SELECT task_type, cost_estimate, actual_cost, estimated_tokens FROM executions
       WHERE model_tier = $tier AND actual_cost > 0 AND timestamp >= now()::TIMESTAMP - to_days($days::INTEGER)
       ORDER BY timestamp`,
      { tier: q.model_tier, days: Math.ceil(q.days ?? 90) },
    ),
  )
  const useEstimate = q.cost_estimate !== undefined && q.cost_estimate > 0
  const basis = useEstimate ? 'cost_estimate' : q.estimated_tokens > 0 ? 'tokens' : 'none'
  const x = (r: Row) => (basis === 'cost_estimate' ? r.cost_estimate : r.estimated_tokens)
  const usable = basis === 'none' ? [] : rows.filter((r) => x(r) > 0)
  const ofType = usable.filter((r) => r.task_type === q.task_type)
  const scoped = ofType.length >= 10 ? ofType : usable
  const scope = scoped.length === 0 ? 'none' : scoped === ofType ? 'tier_task_type' : 'tier'
  const fit = logRatio(scoped.map((r) => r.actual_cost / x(r)))
  const value = basis === 'cost_estimate' ? q.cost_estimate! : q.estimated_tokens
  const split = Math.floor(scoped.length * 0.8)
  const train = logRatio(scoped.slice(0, split).map((r) => r.actual_cost / x(r)))
  const test = scoped.slice(split)
  return {
    model_tier: q.model_tier,
    task_type: q.task_type,
    basis,
    scope,
    calibrated_cost: fit ? value * Math.exp(fit.mu + fit.sigma ** 2 / 2) : null,
    interval: fit
      ? [value * Math.exp(fit.mu - 1.96 * fit.sigma), value * Math.exp(fit.mu + 1.96 * fit.sigma)]
      : null,
    executions: scoped.length,
    holdout: {
      executions: test.length,
      before:
        test.length > 0 && basis === 'cost_estimate'
          ? errors(test.map((r) => [r.cost_estimate, r.actual_cost]))
          : null,
      after:
        test.length > 0 && train
          ? errors(test.map((r) => [x(r) * Math.exp(train.mu + train.sigma ** 2 / 2), r.actual_cost]))
          : null,
    },
  }
}

function logRatio(ratios: readonly number[]): { mu: number; sigma: number } | null {
  if (ratios.length < 2) return null
  const logs = ratios.map(Math.log)
  const mu = logs.reduce((a, b) => a + b, 0) / logs.length
  const variance = logs.reduce((a, b) => a + (b - mu) ** 2, 0) / (logs.length - 1)
  return { mu, sigma: Math.sqrt(variance) }
}

/** MAPE and bias (%) of (predicted, actual) pairs. */
export function errors(pairs: readonly (readonly [number, number])[]): { mape: number; bias: number } {
  let ape = 0
  let bias = 0
  for (const [p, a] of pairs) {
    ape += Math.abs(p - a) / a
    bias += (p - a) / a
  }
  return { mape: (ape / pairs.length) * 100, bias: (bias / pairs.length) * 100 }
}
