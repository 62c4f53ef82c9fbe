/**
 * A task's difficulty shared by every tier. The pooled groups learn each tier × type × bucket × repo cell
 * on its own, so the cells a cheap tier is seldom sent to stay near their parents, and what makes a
 * task easy (its repo, the words of its description) is learned again by every tier. Here
 *
 *   P(success) = c · σ(a_tier + b_tier · x + e_type + e_repo + Σ e_word),  x = (complexity − 50) / 25
 *
 * the type, repo and word effects being the same for every tier (one difficulty scale, as in item
 * response theory), so an effect learned where the large tier runs moves the small tier's prediction
 * too. c = σ(γ) is the ceiling: the share of tasks that succeed when the tier is more than able (some
 * fail whatever runs them; without it those failures flatten every slope), learned with the rest.
 *
 * Online Bayesian logistic regression with a full Gaussian posterior, one extended-Kalman step per
 * outcome. The covariance matters: the words of a description always come together, and a diagonal
 * posterior would take their sum for as uncertain as all of them apart and leap at every surprise. The
 * posterior's precision decays with the router's half-life, as the counts do, so a changed world is
 * learned again. Tier features have their own slots; type, repo and words share hashed slots.
 *
 * A step costs O(slots²) (some 50 µs), so outcomes are queued when they are committed and learned when
 * the next prediction needs them: a write burst does not wait for the model.
 */
import { fnv1a } from '../search/fnv1a.js'
import { sigmoid } from './beta.js'

/** A sparse feature: its name (kind:value) and value. */
export type Feature = readonly [string, number]

/** Slot of the ceiling's log-odds γ, slots for tier intercepts and slopes (16 tiers), hashed slots for the shared effects. */
const CEILING_SLOT = 0
const TIER_SLOTS = 32
const SHARED_SLOTS = 223
const SLOTS = 1 + TIER_SLOTS + SHARED_SLOTS

/** Prior variance of a weight by feature kind (the name's prefix before ':'). */
const PRIOR_VARIANCE: Readonly<Record<string, number>> = { tier: 4, slope: 4, type: 1, repo: 1, word: 1 }

/** Outcomes waiting to be learned at most; beyond it the oldest are dropped (a burst's newest matter most). */
export const MAX_PENDING = 20_000

/** Words shorter than this carry too little meaning to earn a weight. */
const MIN_WORD_LENGTH = 3

/** Prior of the ceiling's log-odds γ: mean logit 0.98, variance 1 (0.93-0.995 within one sd). */
const CEILING_PRIOR = { mean: Math.log(0.98 / 0.02), variance: 1 }

/** The features of `tier` running a task: the tier's intercept and complexity slope, and the shared effects. */
export function taskFeatures(
  tier: string,
  task: { task_type: string; repo: string; complexity_score: number; task_description: string },
): Feature[] {
  const features: Feature[] = [
    [`tier:${tier}`, 1],
    [`slope:${tier}`, (task.complexity_score - 50) / 25],
    [`type:${task.task_type}`, 1],
    [`repo:${task.repo}`, 1],
  ]
  const words = new Set(
    task.task_description
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((w) => w.length >= MIN_WORD_LENGTH),
  )
  for (const w of words) features.push([`word:${w}`, 1])
  return features
}

export class SharedDifficulty {
  readonly #halfLifeMs: number
  /** Posterior mean and covariance (row-major SLOTS × SLOTS) of the weights. */
  readonly #mean = new Float64Array(SLOTS)
  readonly #covariance = new Float64Array(SLOTS * SLOTS)
  readonly #priorVariance = new Float64Array(SLOTS)
  readonly #tierSlots = new Map<string, number>()
  /** When the covariance was last decayed (ms). */
  #time = Number.NEGATIVE_INFINITY
  #pending: { features: readonly Feature[]; y: number; time: number; weight: number }[] = []

  constructor(halfLifeDays: number) {
    this.#halfLifeMs = halfLifeDays * 86_400_000
    for (let i = 0; i < SLOTS; i++) {
      const prior = i === CEILING_SLOT ? CEILING_PRIOR.variance : PRIOR_VARIANCE.word!
      this.#priorVariance[i] = prior
      this.#covariance[i * SLOTS + i] = prior
    }
    this.#mean[CEILING_SLOT] = CEILING_PRIOR.mean
  }

  /** The ceiling c = σ(γ) at γ's posterior mean. */
  get ceiling(): number {
    this.#learnPending()
    return this.#ceiling()
  }

  #ceiling(): number {
    return sigmoid(this.#mean[CEILING_SLOT]!)
  }

  /**
   * Predicted success with its variance, the weights' uncertainty folded in by MacKay's approximation
   * E[σ(z)] ≈ σ(μ / √(1 + πs²/8)).
   */
  predict(features: readonly Feature[]): { mean: number; variance: number } {
    this.#learnPending()
    const { slots, values, unplaced } = this.#slots(features, false)
    let mean = 0
    // A tier never observed has no slot yet: its weights are still their prior.
    let variance = unplaced
    slots.forEach((i, a) => {
      mean += this.#mean[i]! * values[a]!
      slots.forEach((j, b) => {
        variance += values[a]! * this.#covariance[i * SLOTS + j]! * values[b]!
      })
    })
    const q = sigmoid(mean / Math.sqrt(1 + (Math.PI * variance) / 8))
    const c = this.#ceiling()
    const slope = c * q * (1 - q)
    return { mean: c * q, variance: slope * slope * variance }
  }

  /** Queue one outcome (1 success, 0 failure) at time `time` (ms), counting `weight` outcomes. */
  observe(features: readonly Feature[], y: number, time: number, weight = 1): void {
    this.#pending.push({ features, y, time, weight })
    // Trimmed in halves, not one by one: dropping from the front of the array is O(length).
    if (this.#pending.length >= 2 * MAX_PENDING) this.#pending = this.#pending.slice(-MAX_PENDING)
  }

  /** Outcomes queued and not learned yet (at most MAX_PENDING). */
  get pending(): number {
    return Math.min(this.#pending.length, MAX_PENDING)
  }

  /**
   * Forget what was learned of `tier`'s own weights (intercept and slope: back to their prior variance,
   * uncorrelated, at their current mean) when it drifts: the shared effects stay, and the tier is learned
   * again from its next outcomes instead of being held at its old level by thousands of earlier ones.
   */
  forgetTier(tier: string): void {
    this.#learnPending()
    for (const name of [`tier:${tier}`, `slope:${tier}`]) {
      const slot = this.#tierSlots.get(name)
      if (slot === undefined) continue
      for (let j = 0; j < SLOTS; j++) {
        this.#covariance[slot * SLOTS + j] = 0
        this.#covariance[j * SLOTS + slot] = 0
      }
      this.#covariance[slot * SLOTS + slot] = this.#priorVariance[slot]!
    }
  }

  #learnPending(): void {
    const pending = this.#pending.slice(-MAX_PENDING)
    this.#pending = []
    for (const o of pending) this.#learn(o.features, o.y, o.time, o.weight)
  }

  /** One extended-Kalman step. */
  #learn(features: readonly Feature[], y: number, time: number, weight: number): void {
    this.#decay(time)
    const { slots, values } = this.#slots(features, true)
    let z = 0
    slots.forEach((i, a) => {
      z += this.#mean[i]! * values[a]!
    })
    // Linearised at the current mean: y ≈ p + Jᵀ(w − μ), p = c·σ(z), J = c·σ'(z)·x on the weights and
    // c(1 − c)·σ(z) on γ; noise variance p(1 − p) / weight.
    const c = this.#ceiling()
    const q = sigmoid(z)
    const p = c * q
    const jacobian = values.map((x) => c * q * (1 - q) * x)
    slots.push(CEILING_SLOT)
    jacobian.push(c * (1 - c) * q)
    // PJ: the covariance times the (sparse) Jacobian, and the innovation's variance.
    const pj = new Float64Array(SLOTS)
    slots.forEach((j, b) => {
      for (let i = 0; i < SLOTS; i++) pj[i]! += this.#covariance[i * SLOTS + j]! * jacobian[b]!
    })
    let innovation = Math.max(1e-4, p * (1 - p)) / weight
    slots.forEach((i, a) => {
      innovation += pj[i]! * jacobian[a]!
    })
    for (let i = 0; i < SLOTS; i++) {
      const gain = pj[i]! / innovation
      if (gain === 0) continue
      this.#mean[i]! += gain * (y - p)
      const row = i * SLOTS
      for (let j = 0; j < SLOTS; j++) this.#covariance[row + j]! -= gain * pj[j]!
    }
  }

  /**
   * Decay the precision to `time`: the covariance grows by 2^(Δt / half-life), each weight's variance
   * held at most at its prior's (rows and columns scaled together, so it stays a covariance).
   */
  #decay(time: number): void {
    if (!Number.isFinite(this.#time)) this.#time = time
    const grow = 2 ** ((time - this.#time) / this.#halfLifeMs)
    // Decayed in steps of at least 1 % (an O(slots²) pass; outcomes come much closer together).
    if (!(grow >= 1.01)) return
    this.#time = time
    const scale = new Float64Array(SLOTS)
    for (let i = 0; i < SLOTS; i++) {
      const v = this.#covariance[i * SLOTS + i]! * grow
      scale[i] = Math.sqrt(grow * Math.min(1, this.#priorVariance[i]! / v))
    }
    for (let i = 0; i < SLOTS; i++) {
      const row = i * SLOTS
      for (let j = 0; j < SLOTS; j++) this.#covariance[row + j]! *= scale[i]! * scale[j]!
    }
  }

  /**
   * Slots and values of the features (tier features get a slot of their own when `assign`), and the
   * prior variance of those without a slot.
   */
  #slots(
    features: readonly Feature[],
    assign: boolean,
  ): { slots: number[]; values: number[]; unplaced: number } {
    const slots: number[] = []
    const values: number[] = []
    let unplaced = 0
    for (const [name, x] of features) {
      const slot = this.#slot(name, assign)
      if (slot === undefined) {
        unplaced += (PRIOR_VARIANCE[name.slice(0, name.indexOf(':'))] ?? 1) * x * x
        continue
      }
      const at = slots.indexOf(slot)
      if (at >= 0) values[at]! += x
      else {
        slots.push(slot)
        values.push(x)
      }
    }
    return { slots, values, unplaced }
  }

  #slot(name: string, assign: boolean): number | undefined {
    const kind = name.slice(0, name.indexOf(':'))
    if (kind !== 'tier' && kind !== 'slope') return 1 + TIER_SLOTS + (fnv1a(name) % SHARED_SLOTS)
    let slot = this.#tierSlots.get(name)
    if (slot === undefined && assign && this.#tierSlots.size < TIER_SLOTS) {
      slot = 1 + this.#tierSlots.size
      this.#tierSlots.set(name, slot)
      const prior = PRIOR_VARIANCE[kind]!
      this.#priorVariance[slot] = prior
      this.#covariance[slot * SLOTS + slot] = prior
    }
    return slot
  }
}
