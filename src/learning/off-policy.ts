/** One logged decision joined to its outcome. */
export interface LoggedOutcome {
  /** The tier that actually ran. */
  action: string
  /** The logging policy's probability of that tier (0 when the orchestrator overrode it). */
  propensity: number
  /** 1 success, 0 failure. */
  reward: number
  cost: number
  /**
   * The router's predicted success of each tier at decision time, when logged: the direct-method part of
   * the doubly robust estimate.
   */
  predicted?: Readonly<Record<string, number>>
}

/** An off-policy estimate of one target policy's success rate and cost. */
export interface PolicyEstimate {
  policy: string
  /** Decisions whose logged action equals the target's. */
  matched: number
  decisions: number
  /** Inverse propensity scoring estimate of the success rate. */
  ips: number | null
  /** Self-normalised IPS estimate of the success rate. */
  snips: number | null
  /** 95 % interval of the SNIPS estimate (delta method). */
  interval: [number, number] | null
  /** Effective sample size (Σw)² / Σw². */
  ess: number
  /**
   * Doubly robust estimate of the success rate: the router's logged prediction for the target's tier,
   * corrected by the importance-weighted error of the prediction where the logged action matches.
   * Unbiased like IPS, with less variance when the predictions are good. Null without predictions.
   */
  dr: number | null
  /** 95 % interval of the doubly robust estimate (normal, from the per-decision terms). */
  dr_interval: [number, number] | null
  /** SNIPS estimate of the mean cost per task. */
  cost: number | null
  status: 'ok' | 'insufficient_data'
  reason?: string
}

/** Fewest matched decisions and effective samples for an estimate to be reported. */
export const MIN_EFFECTIVE_SAMPLES = 30

/**
 * IPS and SNIPS of a deterministic target policy from logged decisions: w_i = 1{target_i = a_i} / p_i.
 * Rows with p_i = 0 (overridden decisions) cannot be weighted and are skipped.
 */
export function estimatePolicy(
  name: string,
  rows: readonly LoggedOutcome[],
  target: (row: LoggedOutcome, index: number) => string,
): PolicyEstimate {
  let n = 0
  let matched = 0
  let sw = 0
  let sw2 = 0
  let swr = 0
  let swc = 0
  rows.forEach((row, i) => {
    if (!(row.propensity > 0)) return
    n++
    if (target(row, i) !== row.action) return
    const w = 1 / row.propensity
    matched++
    sw += w
    sw2 += w * w
    swr += w * row.reward
    swc += w * row.cost
  })
  const ess = sw2 > 0 ? (sw * sw) / sw2 : 0
  const base = { policy: name, matched, decisions: n, ess }
  if (matched < MIN_EFFECTIVE_SAMPLES || ess < MIN_EFFECTIVE_SAMPLES) {
    return {
      ...base,
      ips: null,
      snips: null,
      interval: null,
      dr: null,
      dr_interval: null,
      cost: null,
      status: 'insufficient_data',
      reason: `only ${matched} matching decisions (effective sample size ${ess.toFixed(1)}); need ${MIN_EFFECTIVE_SAMPLES}`,
    }
  }
  const snips = swr / sw
  let v = 0
  rows.forEach((row, i) => {
    if (row.propensity > 0 && target(row, i) === row.action)
      v += (1 / row.propensity) ** 2 * (row.reward - snips) ** 2
  })
  const half = 1.96 * Math.sqrt(v / (sw * sw))
  return {
    ...base,
    ips: swr / n,
    snips,
    interval: interval95(snips, half),
    ...doublyRobust(rows, target),
    cost: swc / sw,
    status: 'ok',
  }
}

/**
 * DR = mean_i [ q_i(target_i) + 1{target_i = a_i} / p_i · (r_i − q_i(a_i)) ] over decisions with a
 * propensity and predictions for both tiers (Dudík, Langford and Li, 2011).
 */
function doublyRobust(
  rows: readonly LoggedOutcome[],
  target: (row: LoggedOutcome, index: number) => string,
): Pick<PolicyEstimate, 'dr' | 'dr_interval'> {
  const terms: number[] = []
  rows.forEach((row, i) => {
    const aim = target(row, i)
    const qTarget = row.predicted?.[aim]
    const qLogged = row.predicted?.[row.action]
    if (!(row.propensity > 0) || qTarget === undefined || qLogged === undefined) return
    terms.push(qTarget + (aim === row.action ? (row.reward - qLogged) / row.propensity : 0))
  })
  if (terms.length < MIN_EFFECTIVE_SAMPLES) return { dr: null, dr_interval: null }
  const mean = terms.reduce((a, t) => a + t, 0) / terms.length
  const variance = terms.reduce((a, t) => a + (t - mean) ** 2, 0) / (terms.length - 1)
  const half = 1.96 * Math.sqrt(variance / terms.length)
  return { dr: mean, dr_interval: interval95(mean, half) }
}

/** The logged policy's own (on-policy) success rate and cost, with a normal 95 % interval. */
export function estimateLogged(rows: readonly LoggedOutcome[]): PolicyEstimate {
  const n = rows.length
  if (n < MIN_EFFECTIVE_SAMPLES) {
    return {
      policy: 'logged',
      matched: n,
      decisions: n,
      ips: null,
      snips: null,
      interval: null,
      dr: null,
      dr_interval: null,
      ess: n,
      cost: null,
      status: 'insufficient_data',
      reason: `only ${n} decisions with outcomes; need ${MIN_EFFECTIVE_SAMPLES}`,
    }
  }
  const mean = rows.reduce((a, r) => a + r.reward, 0) / n
  const half = 1.96 * Math.sqrt((mean * (1 - mean)) / n)
  return {
    policy: 'logged',
    matched: n,
    decisions: n,
    ips: mean,
    snips: mean,
    interval: interval95(mean, half),
    // On-policy: the observed mean is already unbiased; nothing to correct.
    dr: mean,
    dr_interval: interval95(mean, half),
    ess: n,
    cost: rows.reduce((a, r) => a + r.cost, 0) / n,
    status: 'ok',
  }
}

/** `estimate ± half`, kept inside [0, 1]. */
function interval95(estimate: number, half: number): [number, number] {
  return [Math.max(0, estimate - half), Math.min(1, estimate + half)]
}
