import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { flushDecisions } from './decision-log.js'

/** One bin of the reliability curve. */
export interface ReliabilityBin {
  lo: number
  hi: number
  count: number
  mean_predicted: number
  observed: number
}

/** Predicted vs actual for logged decisions whose chosen tier ran: success calibration, cost error, tier share. */
export interface RoutingCalibration {
  days: number
  joined: number
  brier: number | null
  reliability: ReliabilityBin[]
  cost: { mape: number | null; bias: number | null; predicted_total: number; actual_total: number }
  /** Share of decisions per tier and day: the learned tier share over time. */
  tier_share: { day: string; model_tier: string; decisions: number; share: number }[]
}

/**
 * Compare what the router predicted with what happened (reliability curve, Brier score, cost error)
 * and how its tier choices moved over time.
 */
export async function getRoutingCalibration(
  store: Store,
  options: { days?: number; bins?: number } = {},
): Promise<RoutingCalibration> {
  const days = options.days ?? 30
  const bins = options.bins ?? 10
  if (!Number.isFinite(days) || days <= 0) throw invalidInput(`days must be a positive number, got ${days}`)
  if (!Number.isInteger(bins) || bins < 1 || bins > 100)
    throw invalidInput(`bins must be an integer 1..100, got ${bins}`)
  const params = { days: Math.ceil(days) }
  const window = 'timestamp >= now()::TIMESTAMP - to_days($days::INTEGER)'
  await flushDecisions(store)
  return store.read(async (c) => {
    const rows = await queryRows<{ p: number; y: number; ec: number; ac: number }>(
      c,
      `SELECT d.predicted_success AS p, e.success::INTEGER AS y, d.expected_cost AS ec, e.actual_cost AS ac
       FROM (SELECT * FROM routing_decisions WHERE ${window}
             QUALIFY row_number() OVER (PARTITION BY task_id ORDER BY timestamp DESC) = 1) d
       JOIN executions e ON e.task_id = d.task_id AND e.model_tier = d.chosen_tier`,
      params,
    )
    const share = await queryRows<{ day: string; model_tier: string; decisions: number; share: number }>(
      c,
      `SELECT day, model_tier, decisions, decisions / sum(decisions) OVER (PARTITION BY day) AS share FROM (
         SELECT strftime(date_trunc('day', timestamp), '%Y-%m-%d') AS day, chosen_tier AS model_tier, count(*) AS decisions
         FROM routing_decisions WHERE ${window} GROUP BY ALL) ORDER BY day, model_tier`,
      params,
    )
    return { days, joined: rows.length, ...summarise(rows, bins), tier_share: share }
  })
}

/** Brier score, reliability bins and cost error of (predicted, outcome, expected cost, actual cost) rows. */
export function summarise(
  rows: readonly { p: number; y: number; ec: number; ac: number }[],
  bins: number,
): Pick<RoutingCalibration, 'brier' | 'reliability' | 'cost'> {
  const reliability: ReliabilityBin[] = Array.from({ length: bins }, (_, i) => ({
    lo: i / bins,
    hi: (i + 1) / bins,
    count: 0,
    mean_predicted: 0,
    observed: 0,
  }))
  let brier = 0
  let ape = 0
  let apeN = 0
  let bias = 0
  let predicted = 0
  let actual = 0
  for (const r of rows) {
    brier += (r.p - r.y) ** 2
    const bin = reliability[Math.min(bins - 1, Math.floor(r.p * bins))]!
    bin.count++
    bin.mean_predicted += r.p
    bin.observed += r.y
    predicted += r.ec
    actual += r.ac
    if (r.ac > 0) {
      ape += Math.abs(r.ec - r.ac) / r.ac
      bias += (r.ec - r.ac) / r.ac
      apeN++
    }
  }
  for (const bin of reliability) {
    if (bin.count === 0) continue
    bin.mean_predicted /= bin.count
    bin.observed /= bin.count
  }
  return {
    brier: rows.length > 0 ? brier / rows.length : null,
    reliability: reliability.filter((b) => b.count > 0),
    cost: {
      mape: apeN > 0 ? (ape / apeN) * 100 : null,
      bias: apeN > 0 ? (bias / apeN) * 100 : null,
      predicted_total: predicted,
      actual_total: actual,
    },
  }
}
