/** A Beta posterior over a success probability: alpha = pseudo-successes, beta = pseudo-failures. */
export interface BetaPosterior {
  alpha: number
  beta: number
}

/** Posterior mean alpha / (alpha + beta). */
export function betaMean(p: BetaPosterior): number {
  return p.alpha / (p.alpha + p.beta)
}

/** The same Beta strength α + β around another mean. */
export function withMean(p: BetaPosterior, mean: number): BetaPosterior {
  const n = p.alpha + p.beta
  return { alpha: mean * n, beta: (1 - mean) * n }
}

/** The logistic function, from log-odds to a probability. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

/** Log-odds of `p`, kept finite (p clamped to [0.001, 0.999]). */
export function logit(p: number): number {
  const q = Math.min(0.999, Math.max(0.001, p))
  return Math.log(q / (1 - q))
}

/** Posterior variance. */
export function betaVariance(p: BetaPosterior): number {
  const n = p.alpha + p.beta
  return (p.alpha * p.beta) / (n * n * (n + 1))
}

/** Central credible interval with the given mass (default 95 %), from the exact Beta quantiles. */
export function betaInterval(p: BetaPosterior, mass = 0.95): [number, number] {
  const tail = (1 - mass) / 2
  return [betaQuantile(p, tail), betaQuantile(p, 1 - tail)]
}

/** The q-quantile of a Beta distribution, by bisection on the regularised incomplete beta function. */
export function betaQuantile(p: BetaPosterior, q: number): number {
  if (q <= 0) return 0
  if (q >= 1) return 1
  let lo = 0
  let hi = 1
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2
    if (regularizedBeta(mid, p.alpha, p.beta) < q) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}

/** I_x(a, b), the Beta CDF (continued fraction, Numerical Recipes 6.4). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x)
  const front = Math.exp(lnFront)
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(x, a, b)) / a
  return 1 - (front * continuedFraction(1 - x, b, a)) / b
}

function continuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-30
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let h = d
  for (let m = 1; m <= 200; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + aa * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + aa / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-12) break
  }
  return h
}

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]

/** ln Γ(x) (Lanczos approximation, x > 0). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  const z = x - 1
  let s = 0.99999999999980993
  for (let i = 0; i < LANCZOS.length; i++) s += LANCZOS[i]! / (z + i + 1)
  const t = z + LANCZOS.length - 0.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s)
}

/**
 * Empirical-Bayes prior strength for child groups around their parent mean (method of moments):
 * kappa = m(1-m)/tau² - 1, where tau² is the between-group variance beyond binomial noise. Clamped.
 */
export function estimatePriorStrength(
  groups: readonly { successes: number; trials: number; parentMean: number }[],
  bounds: { min: number; max: number } = { min: 2, max: 200 },
): number {
  const usable = groups.filter((g) => g.trials >= 5)
  if (usable.length < 3) return bounds.min * 5
  let weight = 0
  let between = 0
  let noise = 0
  let meanSum = 0
  for (const g of usable) {
    const p = g.successes / g.trials
    const m = Math.min(Math.max(g.parentMean, 1e-3), 1 - 1e-3)
    between += g.trials * (p - m) ** 2
    noise += m * (1 - m)
    meanSum += g.trials * m * (1 - m)
    weight += g.trials
  }
  const tau2 = (between - noise) / weight
  const mm = meanSum / weight
  if (tau2 <= 1e-9) return bounds.max
  return Math.min(bounds.max, Math.max(bounds.min, mm / tau2 - 1))
}
