/**
 * How far each tier's recent outcomes fall from what its pooled history predicted for them. The pooled
 * groups keep up to `max_evidence` observations each and learn a change only as fast as each group sees
 * the tier again; a model upgrade or regression moves every group of the tier at once, and shows here first
 * as residuals (outcome − pooled prediction) that no longer average out.
 */
export class TierDrift {
  readonly #keep: number
  readonly #minZ: number
  // Exponentially weighted over the last ~window outcomes of the tier: residual sum, its variance, count.
  readonly #byTier = new Map<string, { r: number; v: number; n: number }>()

  /** `window`: outcomes of a tier the residual mean is taken over; `minZ`: how many standard errors count as drift. */
  constructor(window: number, minZ: number) {
    this.#keep = 1 - 1 / window
    this.#minZ = minZ
  }

  /** One outcome (1 or 0) of `tier` where the pooled groups predicted `predicted`. */
  observe(tier: string, predicted: number, outcome: number): void {
    let s = this.#byTier.get(tier)
    if (!s) {
      s = { r: 0, v: 0, n: 0 }
      this.#byTier.set(tier, s)
    }
    s.r = s.r * this.#keep + (outcome - predicted)
    s.v = s.v * this.#keep + predicted * (1 - predicted)
    s.n = s.n * this.#keep + 1
  }

  /** The recent mean residual of `tier` when it is beyond `minZ` standard errors of noise, else 0. */
  shift(tier: string): number {
    const s = this.#byTier.get(tier)
    if (!s || s.v <= 0) return 0
    return Math.abs(s.r) >= this.#minZ * Math.sqrt(s.v) ? s.r / s.n : 0
  }

  /** Every tier's current shift (0 for tiers without drift). */
  shifts(): Map<string, number> {
    return new Map([...this.#byTier.keys()].map((tier) => [tier, this.shift(tier)]))
  }
}
