/**
 * How far each tier's recent outcomes fall from what its pooled history predicted for them. The pooled
 * groups keep up to `max_evidence` observations each and learn a change only as fast as each group sees
 * the tier again; a model upgrade or regression moves every group of the tier at once, and shows here first
 * as residuals (outcome − pooled prediction) that no longer average out.
 *
 * The shift is a log-odds offset, as a better or worse model moves easy and hard tasks alike on that scale
 * (a probability offset would push tasks that always succeed as far as the hard ones).
 */
export class TierDrift {
  readonly #window: number
  readonly #minZ: number
  readonly #byTier = new Map<string, Recent>()

  /** `window`: latest outcomes of a tier the drift is measured on; `minZ`: standard errors that count as drift. */
  constructor(window: number, minZ: number) {
    this.#window = Math.max(1, Math.round(window))
    this.#minZ = minZ
  }

  /** One outcome (1 or 0) of `tier` where the pooled groups predicted `predicted`. */
  observe(tier: string, predicted: number, outcome: number): void {
    let recent = this.#byTier.get(tier)
    if (!recent) {
      recent = new Recent(this.#window)
      this.#byTier.set(tier, recent)
    }
    recent.push(clampProbability(predicted), outcome)
  }

  /**
   * The log-odds offset that makes the tier's recent predictions match its recent outcomes, when their
   * residuals are beyond `minZ` standard errors of noise (a score test at offset 0); else 0.
   */
  shift(tier: string): number {
    const recent = this.#byTier.get(tier)
    if (!recent || recent.v <= 0 || Math.abs(recent.r) < this.#minZ * Math.sqrt(recent.v)) return 0
    return recent.offset()
  }

  /** Every tier's current shift (0 for tiers without drift). */
  shifts(): Map<string, number> {
    return new Map([...this.#byTier.keys()].map((tier) => [tier, this.shift(tier)]))
  }
}

/** Most a shift moves the log-odds: enough for 0.99 → 0.27, bounded against a window of all failures. */
const MAX_OFFSET = 5

/** The latest outcomes of one tier (ring buffer) with running residual sums. */
class Recent {
  readonly #logit: Float64Array
  readonly #outcome: Uint8Array
  #next = 0
  #count = 0
  #cached: number | undefined
  /** Σ(y − p) and Σ p(1 − p) over the buffer. */
  r = 0
  v = 0

  constructor(size: number) {
    this.#logit = new Float64Array(size)
    this.#outcome = new Uint8Array(size)
  }

  push(p: number, y: number): void {
    const size = this.#logit.length
    if (this.#count === size) {
      const old = sigmoid(this.#logit[this.#next]!)
      this.r -= this.#outcome[this.#next]! - old
      this.v -= old * (1 - old)
    } else this.#count++
    this.#logit[this.#next] = Math.log(p / (1 - p))
    this.#outcome[this.#next] = y
    this.#next = (this.#next + 1) % size
    this.r += y - p
    this.v += p * (1 - p)
    this.#cached = undefined
  }

  /**
   * Solve Σ(y − σ(l + δ)) = 0 for δ in [−MAX_OFFSET, MAX_OFFSET]: Newton steps kept inside a bracket that
   * shrinks around the root (the sum falls as δ grows), bisecting when a step would leave it.
   */
  offset(): number {
    if (this.#cached !== undefined) return this.#cached
    let lo = -MAX_OFFSET
    let hi = MAX_OFFSET
    let delta = Math.max(lo, Math.min(hi, this.r / this.v))
    for (let step = 0; step < 40 && hi - lo > 1e-4; step++) {
      let f = 0
      let slope = 0
      for (let i = 0; i < this.#count; i++) {
        const q = sigmoid(this.#logit[i]! + delta)
        f += this.#outcome[i]! - q
        slope += q * (1 - q)
      }
      if (f > 0) lo = delta
      else hi = delta
      const newton = slope > 1e-9 ? delta + f / slope : Number.NaN
      delta = newton > lo && newton < hi ? newton : (lo + hi) / 2
      if (Math.abs(f) < 1e-6) break
    }
    this.#cached = delta
    return delta
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x))
}

function clampProbability(p: number): number {
  return Math.min(0.999, Math.max(0.001, p))
}
