import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { type RouterSettings, resolveRouterSettings } from './route-settings.js'
import { type BucketCell, searchThresholds, type ThresholdSuggestion } from './threshold-search.js'

/** Options of tuneThresholds. */
export interface TuneOptions {
  /** History window in days. Default 90. */
  days?: number
  /** Allowed drop in success below the best per-bucket choice. Default 0.02. */
  tolerance?: number
  /** Tier names and the current static rule. Default small/medium/large at 0/30/60. */
  settings?: Partial<RouterSettings>
}

/** Suggested complexity cut-offs per task type, for orchestrators that keep a rule-based router. */
export interface ThresholdReport {
  days: number
  tolerance: number
  task_types: ({ task_type: string } & ThresholdSuggestion)[]
}

/**
 * Suggest complexity cut-offs per task type that keep success within tolerance at the lowest cost.
 * @example
 * const { task_types } = await tuneThresholds(store, { tolerance: 0.02 })
 * // [{ task_type: 'refactor', thresholds: [{ model_tier: 'small', min_complexity: 0 }, { model_tier: 'medium', min_complexity: 40 }, ...] }]
 */
export async function tuneThresholds(store: Store, options: TuneOptions = {}): Promise<ThresholdReport> {
  const days = options.days ?? 90
  const tolerance = options.tolerance ?? 0.02
  if (!Number.isFinite(days) || days <= 0) throw invalidInput(`days must be a positive number, got ${days}`)
  if (!(tolerance >= 0 && tolerance <= 1))
    throw invalidInput(`tolerance must be between 0 and 1, got ${tolerance}`)
  const settings = resolveRouterSettings(options.settings)
  const tiers = settings.tiers.map((t) => t.name)
  const rows = await store.read((c) =>
    queryRows<BucketCell & { task_type: string }>(
      c,
      `SELECT task_type, least(complexity_score // 10, 9) AS bucket, model_tier, count(*) AS n,
         sum(success::INTEGER) AS successes, avg(actual_cost) AS cost
       FROM executions WHERE timestamp >= now()::TIMESTAMP - to_days($days::INTEGER)
       GROUP BY ALL`,
      { days: Math.ceil(days) },
    ).then((all) => all.filter((r) => tiers.includes(r.model_tier))),
  )
  const types = [...new Set(rows.map((r) => r.task_type))].sort()
  const staticCuts = settings.tiers.map((t) => t.min_complexity)
  const task_types = types.flatMap((task_type) => {
    const s = searchThresholds(
      rows.filter((r) => r.task_type === task_type),
      tiers,
      tolerance,
      staticCuts,
    )
    return s ? [{ task_type, ...s }] : []
  })
  return { days, tolerance, task_types }
}
