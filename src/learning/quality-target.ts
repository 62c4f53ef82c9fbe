/** One task's options as the quality target sees them: predicted success and expected cost. */
export interface TargetOption {
  success: number
  cost: number
}

/** How many recent tasks the value of a success is tuned over. */
export const QUALITY_WINDOW = 1000
/** The value is re-tuned every this many tasks once the window holds that many (always before). */
const RETUNE_EVERY = 25
/** How many recent outcomes measure the shortfall against what was planned. */
const OUTCOME_WINDOW = 2000
/** Pseudo-outcomes of no shortfall the measured one is shrunk with (its noise is ±1 point at 1,000). */
const SHORTFALL_PRIOR = 200
/** Decisions remembered while their outcome has not come (beyond: the oldest are forgotten). */
const MAX_AWAITED = 10_000

/**
 * The 'quality_target' policy's memory: the predictions of the last QUALITY_WINDOW tasks it routed, and
 * the value of a success λ at which argmax λ·p − cost keeps, over them, the summed predicted success at
 * `target` times that of the strongest option of each task. The target is an average, not a bound per
 * task: the Lagrangian of "least cost subject to mean success ≥ target × the strongest option's", whose
 * solution spends where a success is cheap to buy and saves where it is dear (docs/learning.md).
 *
 * Outcomes fall short of the plan: the exploration runs other options, and the options the plan picks
 * for being cheap for their predicted success are, more often than not, those predicted too high. The
 * measured shortfall (the success the tuned choice predicted less the outcome of what ran, over recent
 * decisions) raises the bar by as much.
 */
export class QualityTarget {
  private readonly window: TargetOption[][] = []
  private next = 0
  private sinceTune = 0
  private lambda = 0
  private readonly awaited = new Map<string, number>()
  private readonly shortfalls: number[] = []
  private nextShortfall = 0

  constructor(readonly target: number) {}

  /** Remember this task's options and return the value of a success to route it with. */
  valueFor(options: readonly TargetOption[], taskId?: string): number {
    const copy = options.map(({ success, cost }) => ({ success, cost }))
    if (this.window.length < QUALITY_WINDOW) this.window.push(copy)
    else this.window[this.next] = copy
    this.next = (this.next + 1) % QUALITY_WINDOW
    this.sinceTune++
    if (this.window.length < RETUNE_EVERY || this.sinceTune >= RETUNE_EVERY) {
      this.lambda = tuneValuePerSuccess(this.window, this.target, this.shortfall())
      this.sinceTune = 0
    }
    if (taskId !== undefined) {
      if (this.awaited.size >= MAX_AWAITED) this.awaited.delete(this.awaited.keys().next().value!)
      this.awaited.set(taskId, copy[utilityChoice(copy, this.lambda)]!.success)
    }
    return this.lambda
  }

  /** The outcome of a task routed under this target (others are ignored). */
  observe(taskId: string, success: boolean): void {
    const planned = this.awaited.get(taskId)
    if (planned === undefined) return
    this.awaited.delete(taskId)
    const gap = planned - (success ? 1 : 0)
    if (this.shortfalls.length < OUTCOME_WINDOW) this.shortfalls.push(gap)
    else this.shortfalls[this.nextShortfall] = gap
    this.nextShortfall = (this.nextShortfall + 1) % OUTCOME_WINDOW
  }

  /** Mean of planned success less outcome over recent decisions, shrunk towards 0. */
  shortfall(): number {
    const sum = this.shortfalls.reduce((a, b) => a + b, 0)
    return sum / (this.shortfalls.length + SHORTFALL_PRIOR)
  }
}

/**
 * The least value of a success λ at which choosing argmax λ·p − cost in every task keeps the mean
 * success at `target` × the mean best success, plus `shortfall`. The summed success of the choices grows
 * with λ, so a bracket by doubling and a bisection find it; a bar above the strongest options gives the
 * strongest options.
 */
export function tuneValuePerSuccess(
  tasks: readonly (readonly TargetOption[])[],
  target: number,
  shortfall = 0,
): number {
  const best = tasks.reduce((sum, options) => sum + Math.max(...options.map((o) => o.success)), 0)
  const bar = Math.min(best, target * best + shortfall * tasks.length)
  const reaches = (lambda: number): boolean => {
    let sum = 0
    for (const options of tasks) sum += options[utilityChoice(options, lambda)]!.success
    return sum >= bar - 1e-9 * tasks.length
  }
  if (reaches(0)) return 0
  let hi = 1
  for (let i = 0; i < 64 && !reaches(hi); i++) hi *= 2
  let lo = hi / 2
  if (hi === 1) lo = 0
  for (let i = 0; i < 40; i++) {
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
