import { randomUUID } from 'node:crypto'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { type DecisionRecord, flushDecisions, queueDecision } from './decision-log.js'
import { descriptionOffset, neighbourResiduals } from './description-offset.js'
import type { Neighbour } from './knn-evidence.js'
import type { BiasEstimate, Plan, QualityTarget } from './quality-target.js'
import type { Random } from './random.js'
import {
  describeZodIssue,
  type RouteOptions,
  RouteOptionsSchema,
  type RouteTask,
  RouteTaskSchema,
} from './recommend-schema.js'
import { allowedOptions, DEFAULT_POLICY, type RoutePolicy } from './route-policy.js'
import { type RouterSettings, resolveRouterSettings, staticRuleTier } from './route-settings.js'
import { qualityTarget, type RouterState, routerState, taskTypeOffset } from './router-state.js'
import { taskFeatures } from './shared-difficulty.js'
import {
  drawScale,
  exploreFloor,
  type OptionPrediction,
  predictOption,
  type TaskContext,
  taskTypeEvidence,
} from './success-model.js'
import { greedyChoose, type SamplerOption, thompsonChoose, toleranceBar } from './thompson.js'

/**
 * Version tag of every decision (2: description offset; 3: complexity trend; 4: the rule's cold weight;
 * 5: the tier drift's most significant window; 6: drift measured from the tier's standing residual;
 * 7: narrower Thompson draws while a task type is new; 8: tier drift on the log-odds scale; 9: the rule
 * prior of a tier below the rule falls with the complexity beyond it; 10: the tolerance is measured from
 * the best option's mean less one posterior standard deviation; 11: the shared difficulty model's
 * pseudo-observations; 12: an exploration floor of 0.1, lowered while a task type is new; 13: the shared
 * model's sample counts 30 times once a task type is known, and it forgets a drifting tier's own weights;
 * 14: a tier's drift must hold for 25 more of its outcomes before it shifts the tier).
 */
export const MODEL_VERSION = 'beta-binomial-pooled-knn/14'

/** Options of `recommendRoute` beyond the wire schema: settings, clock, randomness, neighbours. */
export interface RecommendOptions extends RouteOptions {
  /** Router settings (tiers, half-life, ...); defaults in DEFAULT_ROUTER_SETTINGS. */
  settings?: Partial<RouterSettings>
  /** The decision time (replays and simulations); default now. */
  now?: Date
  /** Uniform random source; default Math.random. */
  random?: Random
  /** Nearest past executions, when the caller has them (e.g. from findSimilar); default the in-memory search. */
  neighbours?: readonly Neighbour[]
  /** Skip writing the decision log (dry runs). Default false. */
  dryRun?: boolean
  /** Wait until the decision is committed to the log. Default false: it is written within 50 ms, batched. */
  waitForLog?: boolean
}

/** A recommendation: the chosen option, every option's prediction, and how it was chosen. */
export interface RouteRecommendation {
  decision_id: string
  task_id: string
  chosen: Omit<OptionPrediction, 'posterior'>
  options: Omit<OptionPrediction, 'posterior'>[]
  policy: RoutePolicy
  /** Probability with which `chosen` was picked (1 for greedy and cold-start choices). */
  propensity: number
  /** Probability of each tier under the policy that made the choice. */
  tier_probabilities: Record<string, number>
  /** What the greedy (no-exploration) policy would pick. */
  greedy: { model_tier: string; pool_type: string }
  /** What the static complexity rule would pick. */
  static_rule_tier: string
  cold_start: boolean
  explanation: string
  model_version: string
}

/**
 * Recommend a model tier and pool for a task, log the decision with its propensity, and return it.
 * @example
 * const r = await recommendRoute(store, { task_type: 'refactor', task_description: 'Split parser', repo: 'api', complexity_score: 40 })
 * // r.chosen = { model_tier: 'medium', pool_type: 'default', predicted_success: 0.93, ... }
 */
export async function recommendRoute(
  store: Store,
  taskInput: RouteTask,
  options: RecommendOptions = {},
): Promise<RouteRecommendation> {
  const {
    settings: settingsInput,
    now: nowInput,
    random = Math.random,
    neighbours,
    dryRun,
    waitForLog,
    ...wire
  } = options
  const parsedTask = RouteTaskSchema.safeParse(taskInput, { reportInput: true })
  if (!parsedTask.success) throw invalidInput(describeZodIssue(parsedTask.error))
  const parsedOptions = RouteOptionsSchema.safeParse(wire, { reportInput: true })
  if (!parsedOptions.success) throw invalidInput(describeZodIssue(parsedOptions.error, 'options.'))
  const task = parsedTask.data
  const settings = resolveRouterSettings(settingsInput)
  let policy: RoutePolicy = { ...DEFAULT_POLICY, ...stripUndefined(parsedOptions.data.policy ?? {}) }
  const state = await routerState(store, settings)
  const now = (nowInput ?? new Date()).getTime()
  const known = {
    tiers: new Set([...settings.tiers.map((t) => t.name), ...state.stats.tiers]),
    pools: state.stats.pools,
  }
  const tiers = parsedOptions.data.candidates?.model_tiers ?? [...known.tiers]
  const poolDefault = known.pools.size > 0 ? [...known.pools] : [settings.default_pool]
  const pools = parsedOptions.data.candidates?.pool_types ?? poolDefault
  for (const t of tiers) {
    if (!known.tiers.has(t))
      throw invalidInput(
        `options.candidates.model_tiers: unknown tier ${JSON.stringify(t)} (known: ${[...known.tiers].join(', ')})`,
      )
  }
  for (const p of pools) {
    if (!known.pools.has(p) && p !== settings.default_pool) {
      throw invalidInput(
        `options.candidates.pool_types: unknown pool ${JSON.stringify(p)} (known: ${poolDefault.join(', ')})`,
      )
    }
  }
  const complexity = task.complexity_score ?? 50
  const context: TaskContext = {
    task_type: task.task_type,
    repo: task.repo,
    complexity_score: complexity,
    estimated_tokens: task.estimated_tokens ?? 0,
  }
  const near = neighbours ?? (await searchMemory(store, state, task, settings))
  const offset = descriptionOffset(
    neighbourResiduals(near),
    taskTypeOffset(state, task.task_type, settings),
    settings.description_offset_sd,
  )
  const tierShift = state.drift.shifts()
  // Off (weight 0), the shared model is not asked below, and its queue is not learned.
  if (settings.difficulty_weight > 0) forgetDriftingTiers(state, tierShift)
  const input = {
    stats: state.stats,
    kappa: state.kappa,
    settings,
    context,
    neighbours: near,
    now,
    tierShift,
    descriptionOffset: offset,
    sharedDifficulty:
      settings.difficulty_weight > 0
        ? new Map(
            tiers.map((t) => [
              t,
              state.difficulty.predict(taskFeatures(t, { ...task, complexity_score: complexity })),
            ]),
          )
        : undefined,
  }
  const predictions = tiers.flatMap((t) => pools.map((p) => predictOption(input, t, p)))
  const sampler: SamplerOption[] = predictions.map((o) => ({
    tier: o.model_tier,
    posterior: o.posterior,
    cost: o.expected_cost,
    duration: o.expected_duration_p95 ?? 0,
  }))
  const taskId = task.task_id ?? randomUUID()
  let targetPlan: { target: QualityTarget; plan: Plan } | undefined
  if (policy.mode === 'quality_target') {
    const target = qualityTarget(state, policy, tiers, pools)
    const { value, plan } = target.valueFor(
      allowedOptions(policy, sampler).map((i) => ({
        success: predictions[i]!.predicted_success,
        cost: sampler[i]!.cost,
        tier: sampler[i]!.tier,
      })),
    )
    policy = { ...policy, value_per_success: value }
    targetPlan = { target, plan }
  }
  const ruleTier = staticRuleTier(settings, complexity)
  const coldStart = state.stats.count === 0
  const greedyIndex = greedyChoose(sampler, policy, settings.tolerance_bar_sd)
  let index = greedyIndex
  let probabilities: number[] = predictions.map((_, i) => (i === greedyIndex ? 1 : 0))
  if (coldStart) {
    const ruleIndex = predictions.findIndex((o) => o.model_tier === ruleTier)
    index = ruleIndex >= 0 ? ruleIndex : greedyIndex
    probabilities = predictions.map((_, i) => (i === index ? 1 : 0))
  } else if (policy.explore) {
    const evidence = taskTypeEvidence(input, task.task_type)
    const sampled = thompsonChoose(sampler, policy, random, {
      floor: exploreFloor(settings, evidence),
      draws: settings.propensity_draws,
      scale: drawScale(settings, evidence),
      barSd: settings.tolerance_bar_sd,
      favoured: targetPlan && {
        tier: targetPlan.plan.strongestTier,
        share: exploreFloor(settings, evidence, settings.reference_floor),
      },
    })
    index = sampled.index
    probabilities = sampled.probabilities
  }
  const tierProbabilities: Record<string, number> = {}
  predictions.forEach((o, i) => {
    tierProbabilities[o.model_tier] = (tierProbabilities[o.model_tier] ?? 0) + probabilities[i]!
  })
  const publicOptions = predictions.map(({ posterior: _p, ...o }) => o)
  const chosen = publicOptions[index]!
  const greedy = publicOptions[greedyIndex]!
  const recommendation: RouteRecommendation = {
    decision_id: randomUUID(),
    task_id: taskId,
    chosen,
    options: publicOptions,
    policy,
    propensity: probabilities[index]!,
    tier_probabilities: tierProbabilities,
    greedy: { model_tier: greedy.model_tier, pool_type: greedy.pool_type },
    static_rule_tier: ruleTier,
    cold_start: coldStart,
    explanation: explain({
      chosen,
      options: publicOptions,
      policy,
      coldStart,
      ruleTier,
      propensity: probabilities[index]!,
      descriptionOffset: offset,
      tierShift,
      bar: toleranceBar(sampler, policy, settings.tolerance_bar_sd),
      shared: input.sharedDifficulty?.get(chosen.model_tier),
      ceiling: input.sharedDifficulty ? state.difficulty.ceiling : undefined,
      targetBiases: targetPlan?.target.biasEstimates(),
    }),
    model_version: MODEL_VERSION,
  }
  if (!dryRun) {
    targetPlan?.target.awaitOutcome(
      taskId,
      targetPlan.plan,
      tierProbabilities[targetPlan.plan.strongestTier] ?? 0,
    )
    queueDecision(store, decisionRecord(recommendation, task, context, now))
    if (waitForLog) await flushDecisions(store)
  }
  return recommendation
}

async function searchMemory(
  store: Store,
  state: Awaited<ReturnType<typeof routerState>>,
  task: { task_type: string; task_description: string; repo: string },
  settings: RouterSettings,
): Promise<Neighbour[]> {
  if (settings.knn_limit === 0 || state.memory.size === 0) return []
  const [vector] = await store.embedder.embed([routeQueryText(task)])
  if (!vector) return []
  return state.memory.nearestRecent(
    task.task_type,
    vector,
    settings.knn_limit,
    settings.knn_min_similarity,
    settings.knn_recency_half_life,
  )
}

/** The text embedded for a routing query: the execution's embedding text without the outcome fields. */
export function routeQueryText(task: { task_type: string; task_description: string; repo: string }): string {
  return `Task: ${task.task_type} | Description: ${task.task_description} | Repository: ${task.repo}`
}

function decisionRecord(
  r: RouteRecommendation,
  task: { task_type: string; repo: string; task_description: string; file_count?: number | undefined },
  context: TaskContext,
  now: number,
): DecisionRecord {
  return {
    decision_id: r.decision_id,
    task_id: r.task_id,
    timestamp: new Date(now),
    task_type: task.task_type,
    repo: task.repo,
    complexity_score: context.complexity_score,
    estimated_tokens: context.estimated_tokens,
    inputs: { ...task, task_id: r.task_id },
    options: r.options,
    chosen_tier: r.chosen.model_tier,
    chosen_pool: r.chosen.pool_type,
    propensity: Math.max(r.propensity, 1e-9),
    tier_probabilities: r.tier_probabilities,
    greedy_tier: r.greedy.model_tier,
    rule_tier: r.static_rule_tier,
    predicted_success: r.chosen.predicted_success,
    expected_cost: r.chosen.expected_cost,
    policy: r.policy,
    model_version: r.model_version,
  }
}

function explain({
  chosen,
  options,
  policy,
  coldStart,
  ruleTier,
  propensity,
  descriptionOffset,
  tierShift,
  bar,
  shared,
  ceiling,
  targetBiases,
}: {
  chosen: Omit<OptionPrediction, 'posterior'>
  options: readonly Omit<OptionPrediction, 'posterior'>[]
  policy: RoutePolicy
  coldStart: boolean
  ruleTier: string
  propensity: number
  descriptionOffset: number
  tierShift: ReadonlyMap<string, number>
  bar: number | undefined
  shared: { mean: number } | undefined
  ceiling: number | undefined
  targetBiases: { plan: BiasEstimate; strongest: BiasEstimate } | undefined
}): string {
  const best = options.reduce((a, b) => (b.predicted_success > a.predicted_success ? b : a))
  const fmt = (o: Omit<OptionPrediction, 'posterior'>) =>
    `${o.model_tier}/${o.pool_type} ${o.predicted_success.toFixed(3)} [${o.success_interval[0].toFixed(3)}, ${o.success_interval[1].toFixed(3)}] at ${o.expected_cost.toPrecision(3)}`
  const signed = (x: number, digits: number) => `${x >= 0 ? '+' : ''}${x.toFixed(digits)}`
  const points = (e: BiasEstimate) => `${signed(100 * e.bias, 1)} ± ${(100 * e.standardError).toFixed(1)}`
  const head = coldStart
    ? `cold start: no history, so the static complexity rule chose ${chosen.model_tier}`
    : `${policy.mode}${bar === undefined ? '' : ` (tolerance ${policy.quality_tolerance} below the bar ${bar.toFixed(3)})`}${policy.mode === 'quality_target' ? ` (a success valued at ${policy.value_per_success.toPrecision(3)} to keep ${policy.quality_target} of the strongest options' success over recent tasks${targetBiases ? `; outcomes against predictions: the plan ${points(targetBiases.plan)}, the strongest options ${points(targetBiases.strongest)} points of success` : ''})` : ''}, ${policy.explore ? `Thompson sampling, propensity ${propensity.toFixed(3)}` : 'greedy'}: chose ${fmt(chosen)}`
  const drifting = [...tierShift].filter(([, shift]) => shift !== 0)
  const drift = drifting.length
    ? `; tier drift: ${drifting.map(([tier, shift]) => `${tier} ${signed(shift, 3)}`).join(', ')} log-odds (recent outcomes against the pooled history)`
    : ''
  const difficulty = shared
    ? `; shared difficulty model ${shared.mean.toFixed(3)} for ${chosen.model_tier} (ceiling ${ceiling?.toFixed(3)})`
    : ''
  return `${head}; best predicted ${fmt(best)}; evidence ${chosen.evidence.executions} executions of this tier and type, ${chosen.evidence.similar_executions} similar, description offset ${signed(descriptionOffset, 2)} log-odds (static rule: ${ruleTier})${difficulty}${drift}`
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}

/**
 * When a tier's drift shift comes on, the shared difficulty model forgets that tier's own weights: else
 * its changed outcomes are blamed on the shared effects of the tasks it runs, and every tier moves.
 */
function forgetDriftingTiers(state: RouterState, tierShift: ReadonlyMap<string, number>): void {
  for (const [tier, shift] of tierShift) {
    if (shift === 0) state.drifting.delete(tier)
    else if (!state.drifting.has(tier)) {
      state.drifting.add(tier)
      state.difficulty.forgetTier(tier)
    }
  }
}
