/**
 * Success against complexity within one tier × task_type. The complexity buckets are ordered, and a
 * tier's success falls as tasks get harder; pooling each bucket towards the task type's average instead
 * pulls the rarely tried buckets of a tier to the middle (a cheap tier looks worse than it is on easy
 * tasks and better on hard ones, exactly where the router seldom sends it). A log-odds line through the
 * buckets, fitted on all of them, is the prior mean of each bucket instead.
 */
import { logit, sigmoid } from './beta.js'

/** log-odds of success = intercept + slope · x, x = complexity / 10 − 5 (bucket b's data sit at b − 4.5). */
export interface ComplexityTrend {
  intercept: number
  slope: number
}

/** One complexity bucket's (decayed) successes and failures. */
export interface BucketCounts {
  bucket: number
  s: number
  f: number
}

const NEWTON_STEPS = 8
/** Prior standard deviation of the intercept around the task type's log-odds. */
const INTERCEPT_SD = 2

/**
 * Maximum a posteriori line with priors intercept ~ N(logit(typeMean), 2²) and slope ~ N(0, slopeSd²)
 * (per bucket, log-odds), by Newton's method. Without data, or with slopeSd = 0, it is the flat type mean.
 */
export function fitComplexityTrend(
  buckets: readonly BucketCounts[],
  typeMean: number,
  slopeSd: number,
): ComplexityTrend {
  const centre = logit(typeMean)
  if (!(slopeSd > 0)) return { intercept: centre, slope: 0 }
  const pa = 1 / INTERCEPT_SD ** 2
  const pb = 1 / slopeSd ** 2
  let a = centre
  let b = 0
  for (let step = 0; step < NEWTON_STEPS; step++) {
    // Gradient and (negated) Hessian of the log posterior.
    let ga = -(a - centre) * pa
    let gb = -b * pb
    let haa = pa
    let hab = 0
    let hbb = pb
    for (const { bucket, s, f } of buckets) {
      const x = bucket - 4.5
      const n = s + f
      if (!(n > 0)) continue
      const p = sigmoid(a + b * x)
      const w = n * p * (1 - p)
      ga += s - n * p
      gb += x * (s - n * p)
      haa += w
      hab += x * w
      hbb += x * x * w
    }
    const det = haa * hbb - hab * hab
    a += (hbb * ga - hab * gb) / det
    b += (haa * gb - hab * ga) / det
  }
  return { intercept: a, slope: b }
}

/** The trend's success probability for complexity bucket `bucket` (at its centre). */
export function trendMean(trend: ComplexityTrend, bucket: number): number {
  return sigmoid(trend.intercept + trend.slope * (bucket - 4.5))
}
