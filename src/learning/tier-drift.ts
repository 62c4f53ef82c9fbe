/** The bounds and bar of a TierDrift. */
export interface TierDriftOptions {
  /** Most recent outcomes of a tier its windows reach back over. */
  window: number
  /** Fewest outcomes in a window. */
  minWindow: number
  /** Standard errors a window must be from the standing residual to count as drift. */
  minZ: number
  /** Span (exponential weights) of the standing residual, over the outcomes older than `window`. */
  baselineSpan: number
}

/**
 * How far each tier's recent outcomes fall from what its pooled history predicted for them. The pooled
 * groups keep up to `max_evidence` observations each and learn a change only as fast as each group sees
 * the tier again; a model upgrade or regression moves every group of the tier at once, and shows here first
 * as residuals (outcome − pooled prediction) that no longer average out.
 *
 * The shift is the mean residual over the most significant of the tier's trailing windows (`minWindow`
 * to `window` outcomes), measured from the tier's standing residual: right after a change that window
 * starts near the change, so the shift is the whole gap, not the gap diluted by the outcomes before it.
 * As the groups catch up the residuals shrink and the shift fades by itself.
 *
 * The standing residual is there because the router runs a tier where its predictions look best, and
 * those predictions are the optimistic ones (the winner's curse): even with nothing changing, the chosen
 * tier's residuals sit a little below 0, and over thousands of outcomes a window from 0 finds that
 * bias "significant" and moves the tier for no reason.
 */
export class TierDrift {
  readonly #options: TierDriftOptions
  readonly #byTier = new Map<string, TierResiduals>()

  constructor(options: TierDriftOptions) {
    this.#options = options
  }

  /** One outcome (1 or 0) of `tier` where the pooled groups predicted `predicted`. */
  observe(tier: string, predicted: number, outcome: number): void {
    let t = this.#byTier.get(tier)
    if (!t) {
      t = new TierResiduals(this.#options)
      this.#byTier.set(tier, t)
    }
    t.push(outcome - predicted, predicted * (1 - predicted))
  }

  /** `tier`'s shift: its most significant recent window's mean residual less its standing one, else 0. */
  shift(tier: string): number {
    return this.#byTier.get(tier)?.shift ?? 0
  }

  /** Every tier's current shift (0 for tiers without drift). */
  shifts(): Map<string, number> {
    return new Map([...this.#byTier].map(([tier, t]) => [tier, t.shift]))
  }
}

/**
 * A tier's last residuals and their binomial variances, in a ring; the exponentially weighted sums of
 * those that left it (the standing residual); and the shift they show.
 */
class TierResiduals {
  readonly #residuals: Float64Array
  readonly #variances: Float64Array
  readonly #minWindow: number
  readonly #minZ: number
  readonly #baselineKeep: number
  #next = 0
  #count = 0
  #shift = 0
  #baselineSum = 0
  #baselineVariance = 0
  #baselineWeight = 0

  constructor({ window, minWindow, minZ, baselineSpan }: TierDriftOptions) {
    this.#residuals = new Float64Array(window)
    this.#variances = new Float64Array(window)
    this.#minWindow = minWindow
    this.#minZ = minZ
    this.#baselineKeep = 1 - 1 / baselineSpan
  }

  /** The mean residual of the most significant trailing window beyond minZ, less the standing one, else 0. */
  get shift(): number {
    return this.#shift
  }

  push(residual: number, variance: number): void {
    if (this.#count === this.#residuals.length) {
      // The oldest outcome leaves the windows for the standing residual.
      const keep = this.#baselineKeep
      this.#baselineSum = this.#baselineSum * keep + this.#residuals[this.#next]!
      this.#baselineVariance = this.#baselineVariance * keep + this.#variances[this.#next]!
      this.#baselineWeight = this.#baselineWeight * keep + 1
    }
    this.#residuals[this.#next] = residual
    this.#variances[this.#next] = variance
    this.#next = (this.#next + 1) % this.#residuals.length
    this.#count = Math.min(this.#count + 1, this.#residuals.length)
    this.#shift = this.#mostSignificantShift()
  }

  /**
   * Mean residual of the trailing window (≥ minWindow outcomes) furthest from the standing residual in
   * standard errors (of the difference), less the standing residual, if at least minZ; else 0. Until
   * minWindow outcomes have left the ring the standing residual is taken as 0.
   */
  #mostSignificantShift(): number {
    const size = this.#residuals.length
    const weight = this.#baselineWeight
    const known = weight >= this.#minWindow
    const baseline = known ? this.#baselineSum / weight : 0
    const baselineVariance = known ? this.#baselineVariance / weight ** 2 : 0
    let sum = 0
    let variance = 0
    let bestZ = this.#minZ
    let shift = 0
    for (let m = 1; m <= this.#count; m++) {
      const i = (this.#next - m + size) % size
      sum += this.#residuals[i]!
      variance += this.#variances[i]!
      if (m < this.#minWindow || variance <= 0) continue
      const gap = sum / m - baseline
      const z = Math.abs(gap) / Math.sqrt(variance / m ** 2 + baselineVariance)
      if (z >= bestZ) {
        bestZ = z
        shift = gap
      }
    }
    return shift
  }
}
