import { logit, sigmoid } from './beta.js'
import { fitLogitOffset, type Residual } from './description-offset.js'

/** The bounds and bar of a TierDrift. */
export interface TierDriftOptions {
  /** Most recent outcomes of a tier its windows reach back over. */
  window: number
  /** Fewest outcomes in a window. */
  minWindow: number
  /** Standard errors a window must be from the standing offset to count as drift. */
  minZ: number
  /** Span (exponential forgetting) of the standing offset, over the outcomes older than `window`. */
  baselineSpan: number
  /**
   * Further outcomes a window past the bar must stay past it before the tier shifts: one unlucky stretch
   * makes the windows ending on it significant and fades as ordinary outcomes follow, a change does not.
   */
  confirm: number
}

/**
 * How far each tier's recent outcomes fall from what its pooled history predicted for them. The pooled
 * groups keep up to `max_evidence` observations each and learn a change only as fast as each group sees
 * the tier again; a model upgrade or regression moves every group of the tier at once, and shows here first
 * as residuals (outcome − pooled prediction) that no longer average out.
 *
 * The shift is the log-odds offset of the most significant of the tier's trailing windows (`minWindow`
 * to `window` outcomes), measured from the tier's standing offset: right after a change that window
 * starts near the change, so the shift is the whole gap, not the gap diluted by the outcomes before it.
 * As the groups catch up the residuals shrink and the shift fades by itself.
 *
 * The standing offset is there because the router runs a tier where its predictions look best, and
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
    t.push(predicted, outcome)
  }

  /** `tier`'s shift: its most significant recent window's log-odds offset beyond its standing one, else 0. */
  shift(tier: string): number {
    return this.#byTier.get(tier)?.shift ?? 0
  }

  /** Every tier's current shift (0 for tiers without drift). */
  shifts(): Map<string, number> {
    return new Map([...this.#byTier].map(([tier, t]) => [tier, t.shift]))
  }
}

/** Prior sd (log-odds) of a window's fitted offset, so a short window of all successes stays finite. */
const WINDOW_OFFSET_SD = 2

/**
 * A tier's last predictions and outcomes, in a ring; the standing offset of those that left it; and the
 * shift they show, on the log-odds scale: a model that got better or worse moves its odds on every kind of
 * task alike, so an offset measured on the easy tasks a cheap tier runs (94 % → 97 % is +0.7 log-odds)
 * carries over to the harder ones it could now take, where the same change is worth far more points.
 */
class TierResiduals {
  readonly #predicted: Float64Array
  readonly #outcomes: Float64Array
  readonly #minWindow: number
  readonly #minZ: number
  readonly #baselineKeep: number
  readonly #confirm: number
  #next = 0
  #count = 0
  #shift = 0
  /** Consecutive outcomes some window has been past the bar. */
  #held = 0
  /** The standing offset: a recursive (one Newton step per outcome) fit with exponential forgetting. */
  #baseline = 0
  /** Σ keepʲ·p′(1−p′): the forgetful Fisher information behind #baseline. */
  #baselineInformation = 0
  /** Σ keep²ʲ·p′(1−p′), for #baseline's variance. */
  #baselineSquaredInformation = 0
  #baselineWeight = 0

  constructor({ window, minWindow, minZ, baselineSpan, confirm }: TierDriftOptions) {
    this.#predicted = new Float64Array(window)
    this.#outcomes = new Float64Array(window)
    this.#minWindow = minWindow
    this.#minZ = minZ
    this.#baselineKeep = 1 - 1 / baselineSpan
    this.#confirm = confirm
  }

  /**
   * The most significant trailing window's log-odds offset beyond the standing one, once some window has
   * been past the bar for more than `confirm` outcomes; else 0.
   */
  get shift(): number {
    return this.#shift
  }

  push(predicted: number, outcome: number): void {
    if (this.#count === this.#predicted.length) {
      // The oldest outcome leaves the windows for the standing offset.
      const keep = this.#baselineKeep
      const p = sigmoid(logit(this.#predicted[this.#next]!) + this.#baseline)
      const information = p * (1 - p)
      this.#baselineInformation = this.#baselineInformation * keep + information
      this.#baselineSquaredInformation = this.#baselineSquaredInformation * keep * keep + information
      this.#baselineWeight = this.#baselineWeight * keep + 1
      this.#baseline += (this.#outcomes[this.#next]! - p) / this.#baselineInformation
    }
    this.#predicted[this.#next] = predicted
    this.#outcomes[this.#next] = outcome
    this.#next = (this.#next + 1) % this.#predicted.length
    this.#count = Math.min(this.#count + 1, this.#predicted.length)
    const shift = this.#mostSignificantShift()
    this.#held = shift === 0 ? 0 : this.#held + 1
    this.#shift = this.#held > this.#confirm ? shift : 0
  }

  /**
   * The trailing window (≥ minWindow outcomes) whose outcomes are furthest from the predictions moved by
   * the standing offset, in standard errors of the score test (Σ(y − p′) over √(Σp′(1−p′) plus the
   * standing offset's uncertainty)), if at least minZ: its offset beyond the standing one, fitted in
   * full; else 0. Until minWindow outcomes have left the ring the standing offset is taken as 0.
   */
  #mostSignificantShift(): number {
    const size = this.#predicted.length
    const known = this.#baselineWeight >= this.#minWindow
    const baseline = known ? this.#baseline : 0
    const baselineVariance = known ? this.#baselineSquaredInformation / this.#baselineInformation ** 2 : 0
    const moved = (i: number) => sigmoid(logit(this.#predicted[i]!) + baseline)
    let sum = 0
    let information = 0
    let bestZ = this.#minZ
    let best = 0
    for (let m = 1; m <= this.#count; m++) {
      const i = (this.#next - m + size) % size
      const p = moved(i)
      sum += this.#outcomes[i]! - p
      information += p * (1 - p)
      if (m < this.#minWindow || information <= 0) continue
      const z = Math.abs(sum) / Math.sqrt(information + information ** 2 * baselineVariance)
      if (z >= bestZ) {
        bestZ = z
        best = m
      }
    }
    if (best === 0) return 0
    // Only a window past the bar is fitted: most outcomes shift nothing and build no residual list.
    const window: Residual[] = []
    for (let m = 1; m <= best; m++) {
      const i = (this.#next - m + size) % size
      window.push({ predicted: moved(i), outcome: this.#outcomes[i]!, weight: 1 })
    }
    return fitLogitOffset(window, WINDOW_OFFSET_SD)
  }
}
