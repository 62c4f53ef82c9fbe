/** How the router turns predictions into a choice. */
export interface RoutePolicy {
  /**
   * 'cheapest_within_tolerance' (default): the cheapest option within quality_tolerance of the best.
   * 'max_utility': argmax value_per_success·p − cost. 'quality_target': max_utility with the value of a
   * success tuned over recent tasks to keep quality_target of the strongest options' success (QualityTarget).
   */
  mode: 'cheapest_within_tolerance' | 'max_utility' | 'quality_target'
  /** Allowed drop in success probability below the best option. Default 0.02. */
  quality_tolerance: number
  /** Value of one success in cost units, for 'max_utility' (default 1); tuned under 'quality_target'. */
  value_per_success: number
  /** Share of the strongest option's success to keep on average, for 'quality_target'. Default 0.97. */
  quality_target: number
  /** Options dearer than this are left out (unless all are). */
  max_cost: number | undefined
  /** Thompson-sample among plausible options (true, default) or choose greedily. */
  explore: boolean
}

/** The default policy: savings at equal quality. */
export const DEFAULT_POLICY: Readonly<RoutePolicy> = Object.freeze({
  mode: 'cheapest_within_tolerance',
  quality_tolerance: 0.02,
  value_per_success: 1,
  quality_target: 0.97,
  max_cost: undefined,
  explore: true,
})

/** What the policy looks at for one option. */
export interface Scored {
  success: number
  cost: number
  /** Expected p95 duration; breaks ties between options of equal cost. */
  duration: number
}

/**
 * Index of the option the policy picks for these (drawn or mean) success values. Under
 * cheapest_within_tolerance an option qualifies when its success comes within the tolerance of `bar`,
 * by default the best success among the allowed options. Thompson sampling passes a bar from the posterior
 * means (toleranceBar): comparing draws with the maximum of all draws would favour the dearest options by
 * the winner's curse.
 */
export function applyPolicy(policy: RoutePolicy, options: readonly Scored[], bar?: number): number {
  const allowed = allowedOptions(policy, options)
  if (policy.mode !== 'cheapest_within_tolerance') {
    return argMax(allowed, (i) => policy.value_per_success * options[i]!.success - options[i]!.cost)
  }
  const best = bar ?? Math.max(...allowed.map((i) => options[i]!.success))
  const good = allowed.filter((i) => options[i]!.success >= best - policy.quality_tolerance)
  // No draw reached the bar: the best draw wins.
  if (good.length === 0) return argMax(allowed, (i) => options[i]!.success)
  return good.reduce((a, b) => (better(options[b]!, options[a]!) ? b : a))
}

/** Indices of the options within max_cost, or the cheapest one when none is. */
export function allowedOptions(policy: RoutePolicy, options: readonly { cost: number }[]): number[] {
  const all = options.map((_, i) => i)
  if (policy.max_cost === undefined) return all
  const cheap = all.filter((i) => options[i]!.cost <= policy.max_cost!)
  return cheap.length > 0 ? cheap : [argMin(all, (i) => options[i]!.cost)]
}

function better(x: Scored, y: Scored): boolean {
  const tie = Math.abs(x.cost - y.cost) <= 0.01 * Math.max(x.cost, y.cost)
  if (!tie) return x.cost < y.cost
  if (x.duration !== y.duration) return x.duration < y.duration
  return x.success > y.success
}

function argMax(indices: readonly number[], f: (i: number) => number): number {
  return indices.reduce((a, b) => (f(b) > f(a) ? b : a))
}

function argMin(indices: readonly number[], f: (i: number) => number): number {
  return indices.reduce((a, b) => (f(b) < f(a) ? b : a))
}
