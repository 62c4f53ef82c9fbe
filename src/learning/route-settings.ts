import { z } from 'zod'
import { invalidInput } from '../errors.js'

/** One model tier the router may choose, with its place in the static complexity rule. */
export interface TierSetting {
  /** Tier name as recorded in `model_tier`. */
  name: string
  /** Cost relative to the other tiers, used before any cost history exists. */
  relative_cost: number
  /** Lowest complexity_score the static rule sends to this tier. */
  min_complexity: number
}

/** How the router learns; every field has a default (see DEFAULT_ROUTER_SETTINGS). */
export interface RouterSettings {
  /** Tiers in increasing strength. Default small (0-29, cost 1), medium (30-59, 3), large (60+, 10). */
  tiers: TierSetting[]
  /** Pool used when no pool has been seen yet. Default 'default'. */
  default_pool: string
  /** Half-life of evidence in days (time decay). Default 30. */
  half_life_days: number
  /** Most (decayed) observations any one group counts, so that drift is noticed. Default 150. */
  max_evidence: number
  /** Most pseudo-observations the nearest neighbours add to one option. Default 20. */
  knn_weight: number
  /** Strength the pooled groups keep as the prior of a full neighbourhood (see neighbourhoodPrior). Default 10. */
  knn_prior_strength: number
  /** Neighbours asked for per recommendation. Default 30. */
  knn_limit: number
  /** Executions of the task type after which a neighbour counts half (recency, for drift). Default 500. */
  knn_recency_half_life: number
  /** Lowest cosine similarity a neighbour needs to count. Default 0.3. */
  knn_min_similarity: number
  /** Recent executions per task type kept in memory for the neighbour search. Default 2,000. */
  memory_per_task_type: number
  /** Pseudo-observations of the static rule once a task type has ample history. Default 3. */
  rule_prior_weight: number
  /**
   * Pseudo-observations of the static rule for a task type without history: the excess over
   * rule_prior_weight halves with every rule_prior_half_life outcomes of the type (any tier), so early
   * choices stay near the rule. Default 30 (docs/learning.md, Cold start); 3 gives version 3's flat weight.
   */
  rule_prior_cold_weight: number
  /** Outcomes of a task type (any tier) over which the static rule's cold excess halves. Default 100. */
  rule_prior_half_life: number
  /** Share of decisions taken uniformly over tiers when exploring (propensity floor). Default 0.1. */
  explore_floor: number
  /**
   * Factor on explore_floor for a task type with no outcomes yet; its gap to 1 halves with every
   * rule_prior_half_life outcomes of the type, like sample_scale_cold. Default 0.2 (docs/learning.md,
   * Model version 12); 1 gives a constant floor.
   */
  explore_floor_cold: number
  /**
   * Under the quality_target policy, the share of decisions that run the strongest option's tier besides
   * explore_floor (lowered while a task type is new, like it): more evidence on the reference the target is
   * measured against, so a run holds the target more tightly, at the cost of those runs. Default 0
   * (docs/learning.md, "How precisely a run holds the target").
   */
  reference_floor: number
  /** Monte Carlo draws for the Thompson propensity. Default 400. */
  propensity_draws: number
  /** Thompson draws come from the posterior with its standard deviation times this. Default 1. */
  sample_scale: number
  /**
   * Factor on sample_scale for a task type with no outcomes yet; its gap to 1 halves with every
   * rule_prior_half_life outcomes of the type, like the rule's cold weight. Default 0.2 (docs/learning.md,
   * Model version 7); 1 gives version 6's draws.
   */
  sample_scale_cold: number
  /** Weight of a negative feedback ('wrong_model', 'poor') against its option. Default 0.5. */
  feedback_weight: number
  /** Most recent outcomes of a tier over which drift from its pooled prediction is measured (TierDrift). Default 200. */
  drift_window: number
  /** Fewest recent outcomes of a tier that can show a drift (the shortest window TierDrift tests). Default 25. */
  drift_min_window: number
  /**
   * Standard errors the outcomes of a tier's most significant recent window must be from its pooled
   * predictions (moved by its standing offset) to shift its pooled success, on the log-odds scale.
   * Default 4 (every window from drift_min_window to drift_window is tested, so the largest exceeds 3
   * by chance far more often than one would).
   */
  drift_z: number
  /**
   * Further outcomes of a tier its drift must stay significant for before the tier shifts: a chance
   * stretch of failures fades as ordinary outcomes follow it, a change does not. Default 25
   * (docs/learning.md, Model version 14); 0 gives version 13.
   */
  drift_confirm: number
  /**
   * Span (outcomes, exponential forgetting) of a tier's standing log-odds offset, the bias its pooled
   * predictions show when nothing changes; drift is measured from it, not from 0. Default 5000.
   */
  drift_baseline_span: number
  /** Prior standard deviation (log-odds) of the description offset; 0 turns it off. Default 1. */
  description_offset_sd: number
  /** Prior standard deviation (log-odds per bucket) of the complexity trend's slope; 0 turns it off. Default 1. */
  complexity_slope_sd: number
  /**
   * cheapest_within_tolerance measures the tolerance from the best option's predicted success less this
   * many of its posterior standard deviations. Default 1 (docs/learning.md, Model version 10); 0 gives
   * version 9's bar, the best point estimate.
   */
  tolerance_bar_sd: number
  /**
   * Most pseudo-observations the shared difficulty model adds to an option's posterior (fewer while it is
   * unsure: its own effective sample); 0 turns it off and gives version 10. Default 1,000
   * (docs/learning.md, Model version 11).
   */
  difficulty_weight: number
  /**
   * How many pseudo-observations the shared difficulty model's prediction counts per observation of its own
   * effective sample, once a task type is known (1 while it is new, rising on the rule prior's clock): the
   * groups' counts are outcomes of other tasks of a cell, the model's sample is about this task. Default 30
   * (docs/learning.md, Model version 13); 1 gives version 12.
   */
  difficulty_trust: number
}

/** The defaults of the router. */
export const DEFAULT_ROUTER_SETTINGS: Readonly<RouterSettings> = Object.freeze({
  tiers: [
    { name: 'small', relative_cost: 1, min_complexity: 0 },
    { name: 'medium', relative_cost: 3, min_complexity: 30 },
    { name: 'large', relative_cost: 10, min_complexity: 60 },
  ],
  default_pool: 'default',
  half_life_days: 30,
  max_evidence: 150,
  knn_weight: 20,
  knn_prior_strength: 10,
  knn_limit: 30,
  knn_recency_half_life: 500,
  knn_min_similarity: 0.3,
  memory_per_task_type: 2000,
  rule_prior_weight: 3,
  rule_prior_cold_weight: 30,
  rule_prior_half_life: 100,
  explore_floor: 0.1,
  explore_floor_cold: 0.2,
  reference_floor: 0,
  propensity_draws: 400,
  sample_scale: 1,
  sample_scale_cold: 0.2,
  feedback_weight: 0.5,
  drift_window: 200,
  drift_min_window: 25,
  drift_z: 4,
  drift_confirm: 25,
  drift_baseline_span: 5000,
  description_offset_sd: 1,
  complexity_slope_sd: 1,
  tolerance_bar_sd: 1,
  difficulty_weight: 1000,
  difficulty_trust: 30,
})

const TierSchema = z.strictObject({
  name: z.string().min(1).max(200),
  relative_cost: z.number().min(0).refine(Number.isFinite, 'must be finite'),
  min_complexity: z.number().int().min(0).max(100),
})

/** Validation of partial router settings. */
export const RouterSettingsSchema = z
  .strictObject({
    tiers: z.array(TierSchema).min(1),
    default_pool: z.string().min(1).max(200),
    half_life_days: z.number().positive(),
    max_evidence: z.number().positive(),
    knn_weight: z.number().min(0),
    knn_prior_strength: z.number().positive(),
    knn_limit: z.number().int().min(0).max(1000),
    knn_recency_half_life: z.number().positive(),
    knn_min_similarity: z.number().min(-1).max(1),
    memory_per_task_type: z.number().int().min(0).max(100_000),
    rule_prior_weight: z.number().min(0),
    rule_prior_cold_weight: z.number().min(0),
    rule_prior_half_life: z.number().positive(),
    explore_floor: z.number().min(0).max(1),
    explore_floor_cold: z.number().min(0).max(1),
    reference_floor: z.number().min(0).max(1),
    propensity_draws: z.number().int().min(10).max(100_000),
    sample_scale: z.number().gt(0).max(10),
    sample_scale_cold: z.number().gt(0).max(1),
    feedback_weight: z.number().min(0).max(1),
    drift_window: z.number().int().min(1).max(100_000),
    drift_min_window: z.number().int().min(1).max(100_000),
    drift_z: z.number().positive(),
    drift_confirm: z.number().int().min(0).max(100_000),
    drift_baseline_span: z.number().int().min(1).max(10_000_000),
    description_offset_sd: z.number().min(0).max(10),
    complexity_slope_sd: z.number().min(0).max(10),
    tolerance_bar_sd: z.number().min(0).max(10),
    difficulty_weight: z.number().min(0),
    difficulty_trust: z.number().min(1).max(1000),
  })
  .partial()

/** Merge partial settings over the defaults, validated, tiers sorted by min_complexity. */
export function resolveRouterSettings(partial: unknown = {}): RouterSettings {
  const parsed = RouterSettingsSchema.safeParse(partial ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw invalidInput(`router setting ${issue.path.join('.') || 'settings'}: ${issue.message}`)
  }
  const merged = { ...DEFAULT_ROUTER_SETTINGS, ...parsed.data }
  const tiers = [...merged.tiers].sort((a, b) => a.min_complexity - b.min_complexity)
  if (tiers[0]!.min_complexity !== 0) {
    throw invalidInput(
      `router setting tiers: the first tier must start at complexity 0, got ${tiers[0]!.min_complexity}`,
    )
  }
  if (merged.explore_floor + merged.reference_floor > 1) {
    throw invalidInput(
      `router setting reference_floor: explore_floor plus reference_floor must be at most 1, got ${merged.explore_floor} + ${merged.reference_floor}`,
    )
  }
  if (merged.drift_min_window > merged.drift_window) {
    throw invalidInput(
      `router setting drift_min_window: must be at most drift_window (${merged.drift_window}), got ${merged.drift_min_window}`,
    )
  }
  return { ...merged, tiers }
}

/** The tier the static complexity rule picks (complexity 0-29 small, 30-59 medium, 60+ large by default). */
export function staticRuleTier(settings: RouterSettings, complexity: number): string {
  let chosen = settings.tiers[0]!.name
  for (const tier of settings.tiers) if (complexity >= tier.min_complexity) chosen = tier.name
  return chosen
}

/** Number of complexity buckets (width 10). */
export const COMPLEXITY_BUCKETS = 10

/** Complexity bucket (width 10, 0..9) used for pooling. */
export function complexityBucket(complexity: number): number {
  return Math.min(COMPLEXITY_BUCKETS - 1, Math.max(0, Math.floor(complexity / 10)))
}
