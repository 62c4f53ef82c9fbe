/**
 * How far each tier's recent outcomes fall from what its pooled history predicted for them. The pooled
 * groups keep up to `max_evidence` observations each and learn a change only as fast as each group sees
 * the tier again; a model upgrade or regression moves every group of the tier at once, and shows here first
 * as residuals (outcome − pooled prediction) that no longer average out.
 *
 * The shift is the mean residual over the most significant of the tier's trailing windows (`minWindow`
 * to `window` outcomes): right after a change that window starts near the change, so the shift is the
 * whole gap, not the gap diluted by the outcomes before it. As the groups catch up the residuals shrink
 * and the shift fades by itself.
 */
export class TierDrift {
  readonly #window: number
  readonly #minWindow: number
  readonly #minZ: number
  readonly #byTier = new Map<string, TierResiduals>()

  /**
   * `window`: the most outcomes of a tier the residual mean is taken over; `minWindow`: the fewest;
   * `minZ`: how many standard errors count as drift.
   */
  constructor(window: number, minWindow: number, minZ: number) {
    this.#window = window
    this.#minWindow = minWindow
    this.#minZ = minZ
  }

  /** One outcome (1 or 0) of `tier` where the pooled groups predicted `predicted`. */
  observe(tier: string, predicted: number, outcome: number): void {
    let t = this.#byTier.get(tier)
    if (!t) {
      t = new TierResiduals(this.#window, this.#minWindow, this.#minZ)
      this.#byTier.set(tier, t)
    }
    t.push(outcome - predicted, predicted * (1 - predicted))
  }

  /** The mean residual of `tier` over its most significant recent window beyond `minZ`, else 0. */
  shift(tier: string): number {
    return this.#byTier.get(tier)?.shift ?? 0
  }

  /** Every tier's current shift (0 for tiers without drift). */
  shifts(): Map<string, number> {
    return new Map([...this.#byTier].map(([tier, t]) => [tier, t.shift]))
  }
}

/** A tier's last residuals and their binomial variances, in a ring, and the shift they show. */
class TierResiduals {
  readonly #residuals: Float64Array
  readonly #variances: Float64Array
  readonly #minWindow: number
  readonly #minZ: number
  #next = 0
  #count = 0
  #shift = 0

  constructor(size: number, minWindow: number, minZ: number) {
    this.#residuals = new Float64Array(size)
    this.#variances = new Float64Array(size)
    this.#minWindow = minWindow
    this.#minZ = minZ
  }

  /** The mean residual of the most significant trailing window beyond minZ, else 0. */
  get shift(): number {
    return this.#shift
  }

  push(residual: number, variance: number): void {
    this.#residuals[this.#next] = residual
    this.#variances[this.#next] = variance
    this.#next = (this.#next + 1) % this.#residuals.length
    this.#count = Math.min(this.#count + 1, this.#residuals.length)
    this.#shift = this.#mostSignificantMean(this.#minWindow, this.#minZ)
  }

  /** Mean residual of the trailing window (≥ minWindow outcomes) with the largest |z| ≥ minZ, else 0. */
  #mostSignificantMean(minWindow: number, minZ: number): number {
    const size = this.#residuals.length
    let sum = 0
    let variance = 0
    let bestZ = minZ
    let mean = 0
    for (let m = 1; m <= this.#count; m++) {
      const i = (this.#next - m + size) % size
      sum += this.#residuals[i]!
      variance += this.#variances[i]!
      if (m < minWindow || variance <= 0) continue
      const z = Math.abs(sum) / Math.sqrt(variance)
      if (z >= bestZ) {
        bestZ = z
        mean = sum / m
      }
    }
    return mean
  }
}
