/** One task's options as the quality target sees them: predicted success and expected cost. */
export interface TargetOption {
  success: number
  cost: number
  tier: string
}

/** How many recent tasks the value of a success is tuned over. */
export const QUALITY_WINDOW = 1000
/** The value is re-tuned every this many tasks once the window holds that many (always before). */
const RETUNE_EVERY = 25
/** Relative precision of the tuned value (finer changes no choice that matters). */
const PRECISION = 1e-4
/** How many recent outcomes measure the plan's bias. */
const OUTCOME_WINDOW = 2000
/** How many recent decisions measure the strongest option's bias (weighted, so noisier: more of them). */
const STRONGEST_WINDOW = 5000
/**
 * Outcomes seen at which the plan's bias is trusted half (BiasWindow): early outcomes come while every
 * option's prediction is pessimistic, and a bias of the plan trusted before the strongest option's would
 * make the target cheap.
 */
const BIAS_PRIOR = 1000
/** The same for the strongest option's weighted bias, in weight (a decision weighs 1 on average). */
const STRONGEST_BIAS_PRIOR = 1000
/**
 * Largest weight of one outcome (clipped importance weights): the weight of a tier's share of the default
 * exploration floor (0.1 over three tiers), so that only the runs of a task type's first outcomes, whose
 * floor is lower (0.02), are clipped; unclipped, one of those would weigh up to 150.
 */
const MAX_WEIGHT = 30
/** Decisions remembered while their outcome has not come (beyond: the oldest are forgotten). */
const MAX_AWAITED = 10_000

/** The last `capacity` items, the newest replacing the oldest. */
class Ring<T> {
  readonly items: T[] = []
  private next = 0

  constructor(private readonly capacity: number) {}

  add(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item)
    else this.items[this.next] = item
    this.next = (this.next + 1) % this.capacity
  }
}

/** One outcome less its prediction, with its weight (the strongest option's: 1{ran its tier}/propensity). */
interface Weighted {
  weight: number
  gap: number
}

/**
 * Recent gaps (outcome less prediction) with their weights: the bias is their weighted mean, trusted as
 * evidence accumulates, by (all weight ever seen)/(that + prior): early outcomes come while every
 * prediction is pessimistic and few of them are weighted, later the recent window counts in full.
 */
class BiasWindow {
  private readonly recent: Ring<Weighted>
  private seen = 0
  /** The estimate until the next gap: requests read it far more often than outcomes arrive. */
  private cached: BiasEstimate | undefined

  constructor(
    capacity: number,
    private readonly prior: number,
  ) {
    this.recent = new Ring(capacity)
  }

  add(gap: number, weight = 1): void {
    this.recent.add({ weight, gap })
    this.seen += weight
    this.cached = undefined
  }

  /**
   * The trusted weighted mean and its standard error (of a self-normalised mean: √Σw²(g − mean)² / Σw,
   * times the same trust); both 0 before any weight.
   */
  estimate(): BiasEstimate {
    this.cached ??= this.compute()
    return this.cached
  }

  private compute(): BiasEstimate {
    let sum = 0
    let weight = 0
    for (const w of this.recent.items) {
      sum += w.weight * w.gap
      weight += w.weight
    }
    if (weight === 0) return { bias: 0, standardError: 0 }
    const mean = sum / weight
    let spread = 0
    for (const w of this.recent.items) spread += (w.weight * (w.gap - mean)) ** 2
    const trust = this.seen / (this.seen + this.prior)
    return { bias: mean * trust, standardError: (Math.sqrt(spread) / weight) * trust }
  }
}

/** A bias as the quality target uses it, with the standard error of its window's evidence. */
export interface BiasEstimate {
  bias: number
  standardError: number
}

/** What a decision's tuned choice predicted, and its strongest option. */
export interface Plan {
  planned: number
  strongest: number
  strongestTier: string
}

/** A decision awaiting its outcome, with the probability its policy had of running the strongest tier. */
interface Awaited extends Plan {
  propensity: number
}

/**
 * The 'quality_target' policy's memory: the predictions of the last QUALITY_WINDOW tasks it routed, and
 * the value of a success λ at which argmax λ·p − cost keeps, over them, the summed predicted success at
 * `target` times that of the strongest option of each task. The target is an average, not a bound per
 * task: the Lagrangian of "least cost subject to mean success ≥ target × the strongest option's", whose
 * solution spends where a success is cheap to buy and saves where it is dear (docs/learning.md).
 *
 * Predictions are biased where the policy looks: the options the plan picks for being cheap for their
 * predicted success, and the strongest options it measures against. Recent outcomes measure both: the
 * bias of the plan (outcome of what ran less the success the tuned choice predicted, every decision, so
 * that the exploration's cost counts too) and that of the strongest option (outcome less its prediction
 * where its tier ran, weighted by the inverse of its propensity); the bar is q·(strongest + its bias) −
 * the plan's bias.
 */
export class QualityTarget {
  private readonly window = new Ring<TargetOption[]>(QUALITY_WINDOW)
  private sinceTune = 0
  private lambda = 0
  private readonly awaited = new Map<string, Awaited>()
  private readonly planGaps = new BiasWindow(OUTCOME_WINDOW, BIAS_PRIOR)
  private readonly strongestGaps = new BiasWindow(STRONGEST_WINDOW, STRONGEST_BIAS_PRIOR)

  constructor(readonly target: number) {}

  /** Remember this task's options; the value of a success to route it with, and the plan at that value. */
  valueFor(options: readonly TargetOption[]): { value: number; plan: Plan } {
    const copy = options.map(({ success, cost, tier }) => ({ success, cost, tier }))
    this.window.add(copy)
    this.sinceTune++
    if (this.window.items.length < RETUNE_EVERY || this.sinceTune >= RETUNE_EVERY) {
      this.lambda = tuneValuePerSuccess(this.window.items, this.target, this.biases(), this.lambda)
      this.sinceTune = 0
    }
    const strongest = copy.reduce((a, o) => (o.success > a.success ? o : a))
    const plan = {
      planned: copy[utilityChoice(copy, this.lambda)]!.success,
      strongest: strongest.success,
      strongestTier: strongest.tier,
    }
    return { value: this.lambda, plan }
  }

  /** Wait for the outcome of a decision routed with `plan`; its policy ran the strongest tier with `propensity`. */
  awaitOutcome(taskId: string, plan: Plan, propensity: number): void {
    if (this.awaited.size >= MAX_AWAITED) this.awaited.delete(this.awaited.keys().next().value!)
    this.awaited.set(taskId, { ...plan, propensity })
  }

  /** The outcome of a task routed under this target, run on `tier` (others are ignored). */
  observe(taskId: string, success: boolean, tier: string): void {
    const awaited = this.awaited.get(taskId)
    if (awaited === undefined) return
    this.awaited.delete(taskId)
    const outcome = success ? 1 : 0
    this.planGaps.add(outcome - awaited.planned)
    const ran = tier === awaited.strongestTier && awaited.propensity > 0
    // Every decision takes a place in the window; those that did not run the strongest tier weigh 0.
    this.strongestGaps.add(
      ran ? outcome - awaited.strongest : 0,
      ran ? Math.min(MAX_WEIGHT, 1 / awaited.propensity) : 0,
    )
  }

  /**
   * Recent mean of outcome less prediction: of the plan, and of the strongest option over all decisions,
   * each run of its tier weighted by the inverse of its propensity (at most MAX_WEIGHT, self-normalised):
   * where it ran by choice it ran on the tasks that needed it.
   */
  biases(): Biases {
    const { plan, strongest } = this.biasEstimates()
    return { plan: plan.bias, strongest: strongest.bias }
  }

  /**
   * The same biases with their standard errors, for an operator: the strongest option's rests on the runs
   * of its tier where the plan chose another, few and heavily weighted, and a whole run's operating point
   * moves with it (docs/learning.md, "How precisely a run holds the target").
   */
  biasEstimates(): { plan: BiasEstimate; strongest: BiasEstimate } {
    return { plan: this.planGaps.estimate(), strongest: this.strongestGaps.estimate() }
  }
}

/** Mean outcome less prediction of the tuned choices and of the strongest options (0 if unknown). */
export interface Biases {
  plan: number
  strongest: number
}

/**
 * The least value of a success λ at which choosing argmax λ·p − cost in every task keeps the mean
 * success, corrected by the plan's bias, at `target` × the mean best success corrected by its bias, to
 * a relative PRECISION. The summed success of the choices grows with λ, so a bracket from `start` (the
 * last value) and a bisection find it; a bar above the strongest options gives the strongest options.
 */
export function tuneValuePerSuccess(
  tasks: readonly (readonly TargetOption[])[],
  target: number,
  biases: Biases = { plan: 0, strongest: 0 },
  start = 0,
): number {
  const best = tasks.reduce((sum, options) => sum + Math.max(...options.map((o) => o.success)), 0)
  const bar = Math.min(best, target * (best + biases.strongest * tasks.length) - biases.plan * tasks.length)
  const reaches = (lambda: number): boolean => {
    let sum = 0
    for (const options of tasks) sum += options[utilityChoice(options, lambda)]!.success
    return sum >= bar - 1e-9 * tasks.length
  }
  if (reaches(0)) return 0
  // Bracket [lo, hi] by halving or doubling from the last value (it moves little between retunes).
  let hi = start > 0 ? start : 1
  let lo = hi / 2
  if (reaches(hi)) {
    while (lo > 1e-9 && reaches(lo)) {
      hi = lo
      lo /= 2
    }
    if (lo <= 1e-9) lo = 0
  } else {
    for (let i = 0; i < 64; i++) {
      lo = hi
      hi *= 2
      if (reaches(hi)) break
    }
  }
  while (hi - lo > PRECISION * hi) {
    const mid = (lo + hi) / 2
    if (reaches(mid)) hi = mid
    else lo = mid
  }
  return hi
}

/** argmax λ·p − cost; among equals the higher success (so a large λ reaches the strongest option). */
function utilityChoice(options: readonly TargetOption[], lambda: number): number {
  let best = 0
  for (let i = 1; i < options.length; i++) {
    const u = lambda * options[i]!.success - options[i]!.cost
    const b = lambda * options[best]!.success - options[best]!.cost
    if (u > b || (u === b && options[i]!.success > options[best]!.success)) best = i
  }
  return best
}
