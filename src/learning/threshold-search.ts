/** Observed outcomes of one tier in one complexity bucket (width 10) of one task type. */
export interface BucketCell {
  bucket: number
  model_tier: string
  n: number
  successes: number
  cost: number
}

/** Suggested cut-offs for one task type. */
export interface ThresholdSuggestion {
  thresholds: { model_tier: string; min_complexity: number }[]
  expected_success: number
  expected_cost: number
  best_success: number
  static_rule: { expected_success: number; expected_cost: number } | null
  executions: number
}

/**
 * The monotone complexity cut-offs (tier i for buckets [c_i, c_{i+1})) with the lowest expected cost whose
 * expected success stays within `tolerance` of the best single tier's. Success per (bucket, tier) is
 * shrunk towards the tier's rate in the task type (3 pseudo-observations); buckets weigh by their traffic.
 */
export function searchThresholds(
  cells: readonly BucketCell[],
  tiers: readonly string[],
  tolerance: number,
  staticCutoffs?: readonly number[],
): ThresholdSuggestion | null {
  const present = tiers.filter((t) => cells.some((c) => c.model_tier === t && c.n > 0))
  if (present.length === 0) return null
  const p: number[][] = []
  const cost: number[][] = []
  const weight = new Array<number>(10).fill(0)
  for (const tier of present) {
    const own = cells.filter((c) => c.model_tier === tier)
    const n = own.reduce((a, c) => a + c.n, 0)
    const rate = (own.reduce((a, c) => a + c.successes, 0) + 1) / (n + 2)
    const meanCost = own.reduce((a, c) => a + c.cost * c.n, 0) / Math.max(1, n)
    p.push(
      Array.from({ length: 10 }, (_, b) => {
        const c = own.find((x) => x.bucket === b)
        return ((c?.successes ?? 0) + 3 * rate) / ((c?.n ?? 0) + 3)
      }),
    )
    cost.push(Array.from({ length: 10 }, (_, b) => own.find((x) => x.bucket === b)?.cost ?? meanCost))
  }
  for (const c of cells) weight[c.bucket] = (weight[c.bucket] ?? 0) + c.n
  const total = weight.reduce((a, b) => a + b, 0)
  const evaluate = (cut: readonly number[]) => {
    let s = 0
    let k = 0
    for (let b = 0; b < 10; b++) {
      let t = 0
      for (let i = 1; i < cut.length; i++) if (b * 10 >= cut[i]!) t = i
      s += weight[b]! * p[t]![b]!
      k += weight[b]! * cost[t]![b]!
    }
    return { success: s / total, cost: k / total }
  }
  // The reference is the best single tier, not the per-bucket maximum: that one is biased upwards by noise.
  const best = Math.max(...p.map((row) => row.reduce((a, v, b) => a + weight[b]! * v, 0) / total))
  let chosen: { cut: number[]; success: number; cost: number } | undefined
  let fallback: { cut: number[]; success: number; cost: number } | undefined
  for (const cut of cutoffs(present.length)) {
    const r = evaluate(cut)
    if (!fallback || r.success > fallback.success) fallback = { cut, ...r }
    if (r.success >= best - tolerance && (!chosen || r.cost < chosen.cost)) chosen = { cut, ...r }
  }
  const pick = chosen ?? fallback!
  const staticRule = staticCutoffs && staticCutoffs.length === present.length ? evaluate(staticCutoffs) : null
  return {
    thresholds: present.map((model_tier, i) => ({ model_tier, min_complexity: pick.cut[i]! })),
    expected_success: pick.success,
    expected_cost: pick.cost,
    best_success: best,
    static_rule: staticRule && { expected_success: staticRule.success, expected_cost: staticRule.cost },
    executions: total,
  }
}

/** Every non-decreasing list of k cut-offs starting at 0, in steps of 10 up to 100 (100 = tier unused). */
function* cutoffs(k: number, prefix: number[] = [0]): Generator<number[]> {
  if (prefix.length === k) {
    yield prefix
    return
  }
  for (let c = prefix.at(-1)!; c <= 100; c += 10) yield* cutoffs(k, [...prefix, c])
}
