import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { flushDecisions } from './decision-log.js'
import { estimateLogged, estimatePolicy, type LoggedOutcome, type PolicyEstimate } from './off-policy.js'
import { DEFAULT_ROUTER_SETTINGS } from './route-settings.js'

/** Options of evaluatePolicies. */
export interface EvaluateOptions {
  /** Only decisions of the last `days` days. Default 30. */
  days?: number
  /** Policies to estimate: 'always-<tier>', 'static_rule', 'greedy', 'logged'. Default all. */
  policies?: string[]
}

/** Off-policy estimates of several routing policies from the decision log. */
export interface EvaluationReport {
  days: number
  /** Decisions with a joined outcome. */
  decisions: number
  /** Of those, executions that ran on a tier the logged policy gave probability 0 (not usable). */
  overridden: number
  estimates: PolicyEstimate[]
}

interface Row {
  tier: string
  probs: string
  options: string
  chosen_pool: string
  rule_tier: string
  greedy_tier: string
  success: boolean
  actual_cost: number
}

/** Each tier's predicted success at decision time: its option on the chosen pool, else its options' mean. */
function predictedByTier(row: Row): Record<string, number> {
  const options = JSON.parse(row.options) as {
    model_tier: string
    pool_type: string
    predicted_success: number
  }[]
  const predicted: Record<string, number> = {}
  for (const tier of new Set(options.map((o) => o.model_tier))) {
    const ofTier = options.filter((o) => o.model_tier === tier)
    const onChosenPool = ofTier.find((o) => o.pool_type === row.chosen_pool)
    predicted[tier] =
      onChosenPool?.predicted_success ?? ofTier.reduce((a, o) => a + o.predicted_success, 0) / ofTier.length
  }
  return predicted
}

/**
 * Estimate what always-<tier>, the static rule, the greedy learned policy and the logged policy would
 * have achieved, by IPS / SNIPS / doubly robust over logged decisions joined to their executions (latest decision per task).
 * @example
 * const report = await evaluatePolicies(store, { days: 30 })
 * // report.estimates: [{ policy: 'always-large', snips: 0.93, interval: [0.91, 0.95], ess: 812, ... }, ...]
 */
export async function evaluatePolicies(
  store: Store,
  options: EvaluateOptions = {},
): Promise<EvaluationReport> {
  const days = options.days ?? 30
  if (!Number.isFinite(days) || days <= 0) throw invalidInput(`days must be a positive number, got ${days}`)
  await flushDecisions(store)
  const rows = await store.read((c) =>
    queryRows<Row>(
      c,
      `SELECT e.model_tier AS tier, d.tier_probabilities::VARCHAR AS probs, d.options::VARCHAR AS options, d.chosen_pool, d.rule_tier, d.greedy_tier, e.success, e.actual_cost
       FROM (SELECT * FROM routing_decisions WHERE timestamp >= now()::TIMESTAMP - to_days($days::INTEGER)
             QUALIFY row_number() OVER (PARTITION BY task_id ORDER BY timestamp DESC) = 1) d
       JOIN executions e ON e.task_id = d.task_id
       ORDER BY d.timestamp`,
      { days: Math.ceil(days) },
    ),
  )
  const logged: LoggedOutcome[] = rows.map((r) => ({
    action: r.tier,
    propensity: (JSON.parse(r.probs) as Record<string, number>)[r.tier] ?? 0,
    reward: r.success ? 1 : 0,
    cost: r.actual_cost,
    predicted: predictedByTier(r),
  }))
  const tiers = [
    ...new Set([
      ...DEFAULT_ROUTER_SETTINGS.tiers.map((t) => t.name),
      ...rows.flatMap((r) => Object.keys(JSON.parse(r.probs) as object)),
    ]),
  ].sort()
  const wanted = options.policies ?? [...tiers.map((t) => `always-${t}`), 'static_rule', 'greedy', 'logged']
  const estimates = wanted.map((policy) => {
    if (policy === 'logged') return estimateLogged(logged)
    if (policy === 'static_rule') return estimatePolicy(policy, logged, (_, i) => rows[i]!.rule_tier)
    if (policy === 'greedy') return estimatePolicy(policy, logged, (_, i) => rows[i]!.greedy_tier)
    if (policy.startsWith('always-'))
      return estimatePolicy(policy, logged, () => policy.slice('always-'.length))
    throw invalidInput(
      `policies: unknown policy ${JSON.stringify(policy)} (use always-<tier>, static_rule, greedy, logged)`,
    )
  })
  return {
    days,
    decisions: rows.length,
    overridden: logged.filter((l) => !(l.propensity > 0)).length,
    estimates,
  }
}
