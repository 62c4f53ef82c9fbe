import { type BetaPosterior, betaInterval, betaMean, logit, sigmoid } from './beta.js'
import { type BucketCounts, type ComplexityTrend, fitComplexityTrend, trendMean } from './complexity-trend.js'
import { shiftLogOdds } from './description-offset.js'
import { type Neighbour, neighbourEvidence } from './knn-evidence.js'
import { bucketKey, type Cell, costKeys, levelKeys, type OptionStats, typeKey } from './option-stats.js'
import {
  COMPLEXITY_BUCKETS,
  complexityBucket,
  type RouterSettings,
  staticRuleTier,
} from './route-settings.js'

/** The context of a task, as the model pools it. */
export interface TaskContext {
  task_type: string
  repo: string
  complexity_score: number
  estimated_tokens: number
}

/** Prediction for one (model_tier, pool_type) option. */
export interface OptionPrediction {
  model_tier: string
  pool_type: string
  predicted_success: number
  success_interval: [number, number]
  expected_cost: number
  cost_interval: [number, number]
  expected_duration_p95: number | null
  evidence: { executions: number; similar_executions: number }
  /** The posterior Thompson sampling draws from. */
  posterior: BetaPosterior
}

/** Everything the model needs besides the option list; all pure data. */
export interface ModelInput {
  stats: OptionStats
  /** Empirical-Bayes prior strengths of levels 1..4 (tier×type, ×bucket, ×repo, ×pool). */
  kappa: readonly number[]
  settings: RouterSettings
  context: TaskContext
  neighbours: readonly Neighbour[]
  now: number
  /** Per tier, how far (log-odds) recent outcomes sit from the pooled prediction (TierDrift); absent: 0. */
  tierShift?: ReadonlyMap<string, number>
  /** Log-odds shift of every option for what the description says (descriptionOffset); default 0. */
  descriptionOffset?: number
  /** Per tier, the shared difficulty model's predicted success and its variance (SharedDifficulty); absent: none. */
  sharedDifficulty?: ReadonlyMap<string, { mean: number; variance: number }>
}

/**
 * Beta-Binomial partial pooling along tier → tier×task_type → ×complexity bucket → ×repo → ×pool, each
 * level's posterior mean being the prior mean of the next (strength kappa; a bucket's prior mean is its
 * tier × type's complexity trend instead), moved in log-odds by the tier's drift shift and the description
 * offset; then the neighbourhood (the nearest similar executions, capped pseudo-counts) as the last level,
 * the static-rule prior, and the shared difficulty model's prediction (sharedEvidence).
 */
export function predictOption(input: ModelInput, tier: string, pool: string): OptionPrediction {
  const { settings, context, now } = input
  const group = pooledPosterior(input, tier, pool, context)
  const knn = neighbourEvidence(input.neighbours, tier, pool, {
    now,
    halfLifeDays: settings.half_life_days,
    maxWeight: settings.knn_weight,
    minSimilarity: settings.knn_min_similarity,
    complexity: context.complexity_score,
  })
  const shifted = shiftLogOdds(group, (input.tierShift?.get(tier) ?? 0) + (input.descriptionOffset ?? 0))
  const pooled = neighbourhoodPrior(shifted.alpha, shifted.beta, knn.successes + knn.failures, settings)
  let alpha = pooled.alpha + knn.successes
  let beta = pooled.beta + knn.failures
  const rule = ruleMean(settings, tier, context.complexity_score)
  const typeEvidence = taskTypeEvidence(input, context.task_type)
  const weight = ruleWeight(settings, typeEvidence)
  alpha += weight * rule
  beta += weight * (1 - rule)
  const shared = sharedEvidence(input, tier, typeEvidence)
  alpha += shared.successes
  beta += shared.failures
  const posterior = { alpha, beta }
  const cost = expectedCost(input, tier, pool)
  return {
    model_tier: tier,
    pool_type: pool,
    predicted_success: betaMean(posterior),
    success_interval: betaInterval(posterior),
    expected_cost: cost.mean,
    cost_interval: cost.interval,
    expected_duration_p95: durationP95(input, tier, pool),
    evidence: { executions: Math.round(group.typeCount), similar_executions: knn.count },
    posterior,
  }
}

/**
 * The shared difficulty model's prediction as pseudo-observations: its own effective sample
 * p(1 − p) / Var[p] − 1 times its trust (difficulty_trust once the task type is known, 1 while it is new:
 * `typeEvidence` outcomes on the cold clock), at most difficulty_weight, at its mean moved by the tier's
 * drift shift (the groups and this model both learned the world before it changed; without the shift its
 * long memory would hold a degraded tier up for thousands of tasks).
 */
export function sharedEvidence(
  input: Pick<ModelInput, 'sharedDifficulty' | 'settings' | 'tierShift'>,
  tier: string,
  typeEvidence: number,
): { successes: number; failures: number } {
  const shared = input.sharedDifficulty?.get(tier)
  if (!shared || !(shared.variance > 0)) return { successes: 0, failures: 0 }
  const { difficulty_trust: trust } = input.settings
  const n = Math.min(
    input.settings.difficulty_weight,
    trust *
      warmed(input.settings, 1 / trust, typeEvidence) *
      ((shared.mean * (1 - shared.mean)) / shared.variance - 1),
  )
  if (!(n > 0)) return { successes: 0, failures: 0 }
  const shift = input.tierShift?.get(tier) ?? 0
  const mean = shift === 0 ? shared.mean : sigmoid(logit(shared.mean) + shift)
  return { successes: n * mean, failures: n * (1 - mean) }
}

/** The pooled groups' posterior of `tier` on `pool` in `context`, and the tier×task_type count behind it. */
function pooledPosterior(
  input: Pick<ModelInput, 'stats' | 'kappa' | 'settings' | 'now'>,
  tier: string,
  pool: string,
  context: Pick<TaskContext, 'task_type' | 'repo' | 'complexity_score'>,
): { alpha: number; beta: number; typeCount: number } {
  const bucket = complexityBucket(context.complexity_score)
  const keys = levelKeys(tier, pool, context.task_type, bucket, context.repo)
  let alpha = 1
  let beta = 1
  let typeCount = 0
  keys.forEach((key, level) => {
    const cell = capped(input.stats.read(key, input.now), input.settings.max_evidence)
    if (level > 0) {
      const parent = alpha / (alpha + beta)
      const mean =
        level === 2 ? trendMean(bucketTrend(input, tier, context.task_type, parent), bucket) : parent
      const k = input.kappa[level - 1] ?? 10
      alpha = k * mean
      beta = k * (1 - mean)
    }
    if (level === 1) typeCount = cell.s + cell.f
    alpha += cell.s
    beta += cell.f
  })
  return { alpha, beta, typeCount }
}

// One request predicts every option from the same input: what its options share is computed once.
const sharedOfInput = new WeakMap<object, Map<string, unknown>>()

/** `compute()` once per input object and key. */
function oncePerInput<T>(input: object, key: string, compute: () => T): T {
  let shared = sharedOfInput.get(input)
  if (!shared) {
    shared = new Map()
    sharedOfInput.set(input, shared)
  }
  if (!shared.has(key)) shared.set(key, compute())
  return shared.get(key) as T
}

/**
 * The complexity trend of `tier` × `taskType` through its buckets' capped counts, centred on `typeMean`
 * (the same for every pool of the tier, so fitted once per request).
 */
function bucketTrend(
  input: Pick<ModelInput, 'stats' | 'settings' | 'now'>,
  tier: string,
  taskType: string,
  typeMean: number,
): ComplexityTrend {
  return oncePerInput(input, `trend\u0000${typeKey(tier, taskType)}`, () =>
    fitBucketTrend(input, tier, taskType, typeMean),
  )
}

function fitBucketTrend(
  input: Pick<ModelInput, 'stats' | 'settings' | 'now'>,
  tier: string,
  taskType: string,
  typeMean: number,
): ComplexityTrend {
  const buckets: BucketCounts[] = []
  for (let bucket = 0; bucket < COMPLEXITY_BUCKETS; bucket++) {
    const cell = capped(
      input.stats.read(bucketKey(tier, taskType, bucket), input.now),
      input.settings.max_evidence,
    )
    if (cell.s + cell.f > 0) buckets.push({ bucket, ...cell })
  }
  return fitComplexityTrend(buckets, typeMean, input.settings.complexity_slope_sd)
}

/** The pooled groups' predicted success of `tier` on `pool` in `context` (no neighbours, no drift shift). */
export function pooledMean(
  input: Pick<ModelInput, 'stats' | 'kappa' | 'settings' | 'now'>,
  tier: string,
  pool: string,
  context: Pick<TaskContext, 'task_type' | 'repo' | 'complexity_score'>,
): number {
  return betaMean(pooledPosterior(input, tier, pool, context))
}

/**
 * The pooled posterior as the prior of the neighbourhood level: its mean is kept, its strength shrinks
 * from its own count n towards knn_prior_strength as the neighbour weight w reaches its cap, so that
 * what the description says (similar past tasks) can move the estimate away from the group average.
 */
export function neighbourhoodPrior(
  alpha: number,
  beta: number,
  w: number,
  settings: Pick<RouterSettings, 'knn_weight' | 'knn_prior_strength'>,
): { alpha: number; beta: number } {
  const n = alpha + beta
  if (!(w > 0) || !Number.isFinite(n) || settings.knn_weight <= 0 || n <= settings.knn_prior_strength)
    return { alpha, beta }
  const share = Math.min(1, w / settings.knn_weight)
  const k = n - share * (n - settings.knn_prior_strength)
  return { alpha: (alpha / n) * k, beta: (beta / n) * k }
}

/**
 * The task type's decayed outcomes over all configured tiers, uncapped: how much the router has seen of
 * such tasks, whichever tier ran them. The rule's cold weight fades with it rather than with the option's
 * own count, which would keep the rule on the tiers the router rarely runs, and so keep them rarely run.
 */
export function taskTypeEvidence(
  input: Pick<ModelInput, 'stats' | 'settings' | 'now'>,
  taskType: string,
): number {
  return oncePerInput(input, `evidence\u0000${taskType}`, () => {
    let n = 0
    for (const tier of input.settings.tiers) {
      const cell = input.stats.read(typeKey(tier.name, taskType), input.now)
      if (cell) n += cell.s + cell.f
    }
    return n
  })
}

/**
 * Pseudo-observations of the static rule for a task type with `evidence` decayed outcomes (any tier):
 * rule_prior_cold_weight with none, its excess over rule_prior_weight halving every rule_prior_half_life
 * outcomes.
 */
export function ruleWeight(
  settings: Pick<RouterSettings, 'rule_prior_weight' | 'rule_prior_cold_weight' | 'rule_prior_half_life'>,
  evidence: number,
): number {
  const excess = settings.rule_prior_cold_weight - settings.rule_prior_weight
  return settings.rule_prior_weight + excess * coldness(settings, evidence)
}

/**
 * Scale of the Thompson draws for a task type with `evidence` decayed outcomes (any tier):
 * sample_scale × sample_scale_cold with none, the gap to sample_scale halving every rule_prior_half_life
 * outcomes. While a type is new the rule prior holds its posteriors near the rule and wide draws only
 * stray from it; narrow ones still explore where the posteriors disagree.
 */
export function drawScale(
  settings: Pick<RouterSettings, 'sample_scale' | 'sample_scale_cold' | 'rule_prior_half_life'>,
  evidence: number,
): number {
  return settings.sample_scale * warmed(settings, settings.sample_scale_cold, evidence)
}

/**
 * The exploration floor for a task type with `evidence` outcomes: `floor` (explore_floor, or the quality
 * target's reference_floor), lowered while the type is new.
 */
export function exploreFloor(
  settings: Pick<RouterSettings, 'explore_floor' | 'explore_floor_cold' | 'rule_prior_half_life'>,
  evidence: number,
  floor = settings.explore_floor,
): number {
  return floor * warmed(settings, settings.explore_floor_cold, evidence)
}

/** A factor that starts at `cold` for a new task type, its gap to 1 halving with coldness. */
function warmed(
  settings: Pick<RouterSettings, 'rule_prior_half_life'>,
  cold: number,
  evidence: number,
): number {
  return 1 - (1 - cold) * coldness(settings, evidence)
}

/** How new a task type with `evidence` outcomes still is: 1 with none, halving every rule_prior_half_life. */
function coldness(settings: Pick<RouterSettings, 'rule_prior_half_life'>, evidence: number): number {
  return 2 ** (-evidence / settings.rule_prior_half_life)
}

/** The static rule's prior success of a tier at or above its tier for the complexity. */
const RULE_MEAN_ABOVE = 0.85
/** ... of a tier just below it, at the complexity where the rule stops sending that tier. */
const RULE_MEAN_BELOW = 0.55
/** Log-odds the prior of a tier below the rule loses per 10 complexity points beyond that complexity. */
const RULE_FALL_PER_10 = 0.5

/**
 * Prior mean of the static rule: tiers at or above the rule's tier are expected to succeed more often;
 * a tier below it less, the further the task's complexity lies beyond where the rule stops sending it
 * (a small tier is no coin flip on the hardest tasks, so it must not look like one while data is thin).
 */
export function ruleMean(settings: RouterSettings, tier: string, complexity: number): number {
  const names = settings.tiers.map((t) => t.name)
  const ruleIndex = names.indexOf(staticRuleTier(settings, complexity))
  const index = names.indexOf(tier)
  if (index < 0) return 0.7
  if (index >= ruleIndex) return RULE_MEAN_ABOVE
  const beyond = Math.max(0, complexity - settings.tiers[index + 1]!.min_complexity)
  return sigmoid(logit(RULE_MEAN_BELOW) - (RULE_FALL_PER_10 * beyond) / 10)
}

function capped(cell: Cell | undefined, max: number): { s: number; f: number } {
  if (!cell) return { s: 0, f: 0 }
  const n = cell.s + cell.f
  if (n <= max) return cell
  return { s: (cell.s * max) / n, f: (cell.f * max) / n }
}

function moments(w: number, s1: number, s2: number): { mu: number; sigma: number } {
  const mu = s1 / w
  return { mu, sigma: Math.sqrt(Math.max(0, s2 / w - mu * mu)) }
}

function mostSpecific(
  input: ModelInput,
  tier: string,
  pool: string,
  field: 'rw' | 'cw' | 'dw',
): Cell | undefined {
  const keys = costKeys(tier, pool, input.context.task_type)
  for (let i = keys.length - 1; i >= 0; i--) {
    const cell = input.stats.read(keys[i]!, input.now)
    if (cell && cell[field] >= 2) return cell
  }
  return undefined
}

/** Expected cost with a 95 % interval: tokens × learned rate, else the learned mean, else the configured relative cost. */
export function expectedCost(
  input: ModelInput,
  tier: string,
  pool: string,
): { mean: number; interval: [number, number] } {
  const tokens = input.context.estimated_tokens
  const rate = tokens > 0 ? mostSpecific(input, tier, pool, 'rw') : undefined
  if (rate) {
    const { mu, sigma } = moments(rate.rw, rate.r1, rate.r2)
    return {
      mean: tokens * Math.exp(mu + (sigma * sigma) / 2),
      interval: [tokens * Math.exp(mu - 1.96 * sigma), tokens * Math.exp(mu + 1.96 * sigma)],
    }
  }
  const abs = mostSpecific(input, tier, pool, 'cw')
  if (abs) {
    const { mu, sigma } = moments(abs.cw, abs.c1, abs.c2)
    return {
      mean: Math.exp(mu + (sigma * sigma) / 2),
      interval: [Math.exp(mu - 1.96 * sigma), Math.exp(mu + 1.96 * sigma)],
    }
  }
  const relative = input.settings.tiers.find((t) => t.name === tier)?.relative_cost ?? 1
  const unit = costUnit(input)
  return { mean: relative * unit, interval: [relative * unit, relative * unit] }
}

/** Cost of one relative-cost unit, from tiers with history (1 when none has any). */
function costUnit(input: ModelInput): number {
  const ratios: number[] = []
  for (const t of input.settings.tiers) {
    const cell = input.stats.read(costKeys(t.name, '', '')[0], input.now)
    if (cell && cell.cw >= 2 && t.relative_cost > 0) {
      ratios.push(Math.exp(cell.c1 / cell.cw) / t.relative_cost)
    }
  }
  if (ratios.length === 0) return 1
  ratios.sort((a, b) => a - b)
  return ratios[Math.floor(ratios.length / 2)]!
}

function durationP95(input: ModelInput, tier: string, pool: string): number | null {
  const cell = mostSpecific(input, tier, pool, 'dw')
  if (!cell) return null
  const { mu, sigma } = moments(cell.dw, cell.d1, cell.d2)
  return Math.max(0, Math.exp(mu + 1.645 * sigma) - 0.01)
}
