/**
 * What a task's description says about its difficulty beyond its task type, complexity bucket and repo.
 *
 * Every remembered execution carries the pooled groups' prediction for its option when its outcome
 * arrived. Outcomes of the most similar past tasks, set against those predictions, show how much easier
 * or harder tasks like this one are than their groups expect, on the log-odds scale, whatever tier ran
 * them; the offset then moves every option, also tiers that never ran such a task. The same fit over
 * every remembered execution of the task type is subtracted: the router runs an option more often when
 * its pooled estimate is optimistic, so chosen options' residuals lean negative by themselves, and only
 * the difference between the neighbours and the type is the description's.
 */
import { type BetaPosterior, logit, sigmoid, withMean } from './beta.js'
import type { Neighbour } from './knn-evidence.js'

/** One outcome against the pooled prediction made for it. */
export interface Residual {
  /** The pooled groups' success prediction for the option when the outcome arrived. */
  predicted: number
  /** 1 for success, 0 for failure. */
  outcome: number
  weight: number
}

/** Newton steps at most, each at most one log-odds unit (a far offset would overshoot back and forth). */
const NEWTON_STEPS = 30
const MAX_STEP = 1

/** Neighbours that carry their pooled prediction, weighted sim² · recency like the neighbourhood evidence. */
export function neighbourResiduals(neighbours: readonly Neighbour[]): Residual[] {
  return neighbours.flatMap((n) =>
    n.predicted === undefined
      ? []
      : [
          {
            predicted: n.predicted,
            outcome: n.success ? 1 : 0,
            weight: n.similarity ** 2 * (n.recency ?? 1),
          },
        ],
  )
}

/**
 * Maximum a posteriori log-odds offset δ of the outcomes against their predictions, with a N(0, priorSd²)
 * prior: the root of Σ w·(y − σ(logit p + δ)) = δ / priorSd², by Newton's method from 0 with bounded steps.
 */
export function fitLogitOffset(residuals: readonly Residual[], priorSd: number): number {
  if (residuals.length === 0 || !(priorSd > 0)) return 0
  const logits = residuals.map((r) => logit(r.predicted))
  const precision = 1 / (priorSd * priorSd)
  let delta = 0
  for (let step = 0; step < NEWTON_STEPS; step++) {
    let gradient = -delta * precision
    let curvature = precision
    residuals.forEach((r, i) => {
      const p = sigmoid(logits[i]! + delta)
      gradient += r.weight * (r.outcome - p)
      curvature += r.weight * p * (1 - p)
    })
    const step = Math.max(-MAX_STEP, Math.min(MAX_STEP, gradient / curvature))
    delta += step
    if (Math.abs(step) < 1e-9) break
  }
  return delta
}

/**
 * The neighbours' offset minus the task type's (`typeOffset`, fitLogitOffset over the type's remembered
 * executions): the log-odds shift the description adds to every option.
 */
export function descriptionOffset(
  neighbours: readonly Residual[],
  typeOffset: number,
  priorSd: number,
): number {
  if (neighbours.length === 0 || !(priorSd > 0)) return 0
  return fitLogitOffset(neighbours, priorSd) - typeOffset
}

/** Move a Beta's mean by `offset` on the log-odds scale, at the same strength. */
export function shiftLogOdds(p: BetaPosterior, offset: number): BetaPosterior {
  if (offset === 0) return p
  return withMean(p, sigmoid(logit(p.alpha / (p.alpha + p.beta)) + offset))
}
