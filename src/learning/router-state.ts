import type { DuckDBConnection } from '@duckdb/node-api'
import { invalidateRollups } from '../analytics/rollup-refresh.js'
import { queryRows } from '../db/query-rows.js'
import type { Execution } from '../record.js'
import type { Store } from '../store.js'
import { fitLogitOffset } from './description-offset.js'
import { feedbackSignal } from './feedback-signal.js'
import { costKeys, levelKeys, OptionStats } from './option-stats.js'
import { levelPriorStrengths } from './prior-strength.js'
import { QualityTarget } from './quality-target.js'
import { RecentMemory } from './recent-memory.js'
import type { RoutePolicy } from './route-policy.js'
import type { RouterSettings } from './route-settings.js'
import { MAX_PENDING, SharedDifficulty, taskFeatures } from './shared-difficulty.js'
import { pooledMean } from './success-model.js'
import { TierDrift, type TierDriftOptions } from './tier-drift.js'

/** The router's in-memory model of one store: decayed statistics, recent memory, prior strengths. */
export interface RouterState {
  readonly stats: OptionStats
  readonly memory: RecentMemory
  /** Residuals of recent outcomes against the pooled prediction, per tier (starts empty at each load). */
  readonly drift: TierDrift
  kappa: number[]
  /** Observations since kappa was last estimated. */
  sinceKappa: number
  /** Task ids with feedback whose execution has not arrived yet. */
  readonly pendingFeedback: Set<string>
  /** Per task type, its log-odds offset against the pooled predictions, until its memory changes. */
  readonly typeOffsets: Map<string, { key: string; offset: number }>
  readonly settings: RouterSettings
  /** Type, repo and description effects shared by every tier (SharedDifficulty). */
  readonly difficulty: SharedDifficulty
  /** Tiers whose drift shift is on (TierDrift); the shared model forgot their own weights when it came on. */
  readonly drifting: Set<string>
  /** The 'quality_target' policy's recent predictions, per target, candidate set and cost cap. */
  readonly qualityTargets: Map<string, QualityTarget>
}

const states = new WeakMap<Store, Map<string, Promise<RouterState>>>()

/**
 * The router state of a store, loaded once (one aggregate query, not a scan per request) and kept
 * current from every committed write batch through `store.onCommit`.
 */
export function routerState(store: Store, settings: RouterSettings): Promise<RouterState> {
  let byKey = states.get(store)
  if (!byKey) {
    byKey = new Map()
    states.set(store, byKey)
  }
  const key = [
    settings.half_life_days,
    settings.memory_per_task_type,
    settings.feedback_weight,
    ...Object.values(tierDriftOptions(settings)),
    settings.max_evidence,
  ].join('|')
  let state = byKey.get(key)
  if (!state) {
    state = loadState(store, settings)
    byKey.set(key, state)
    state.catch(() => byKey.delete(key))
  }
  return state
}

/**
 * The task type's own offset of outcomes against pooled predictions over its remembered executions (the
 * baseline of the description offset), refitted only when the type's memory or the settings change.
 */
export function taskTypeOffset(
  state: RouterState,
  taskType: string,
  settings: Pick<RouterSettings, 'knn_recency_half_life' | 'description_offset_sd'>,
): number {
  const key = `${state.memory.version(taskType)}|${settings.knn_recency_half_life}|${settings.description_offset_sd}`
  const cached = state.typeOffsets.get(taskType)
  if (cached?.key === key) return cached.offset
  const offset = fitLogitOffset(
    state.memory.residuals(taskType, settings.knn_recency_half_life),
    settings.description_offset_sd,
  )
  state.typeOffsets.set(taskType, { key, offset })
  return offset
}

/** Add feedback evidence to every loaded state of the store (called by recordFeedback). */
export async function addFeedbackEvidence(
  store: Store,
  execution:
    | Pick<Execution, 'model_tier' | 'pool_type' | 'task_type' | 'repo' | 'complexity_score'>
    | undefined,
  feedback: {
    task_id: string
    satisfaction?: string | null
    rating?: number | null
    issue_type?: string | null
  },
): Promise<void> {
  for (const pending of states.get(store)?.values() ?? []) {
    const state = await pending
    if (!execution) {
      state.pendingFeedback.add(feedback.task_id)
      continue
    }
    const signal = feedbackSignal(feedback, state.settings.feedback_weight)
    if (signal) state.stats.add({ ...execution, ...signal, time: Date.now() })
  }
}

/** The drift settings as TierDrift takes them (also part of the state's cache key). */
function tierDriftOptions(settings: RouterSettings): TierDriftOptions {
  return {
    window: settings.drift_window,
    minWindow: settings.drift_min_window,
    minZ: settings.drift_z,
    baselineSpan: settings.drift_baseline_span,
    confirm: settings.drift_confirm,
  }
}

async function loadState(store: Store, settings: RouterSettings): Promise<RouterState> {
  const now = Date.now()
  const stats = new OptionStats(settings.half_life_days, now)
  const memory = new RecentMemory(settings.memory_per_task_type, store.embedder.dimensions)
  const state: RouterState = {
    stats,
    memory,
    drift: new TierDrift(tierDriftOptions(settings)),
    kappa: [],
    sinceKappa: 0,
    pendingFeedback: new Set(),
    typeOffsets: new Map(),
    settings,
    difficulty: new SharedDifficulty(settings.half_life_days),
    drifting: new Set(),
    qualityTargets: new Map(),
  }
  const buffered: Execution[][] = []
  let loaded = false
  store.onCommit(async (written, info) => {
    const fresh = newlyStored(written, info.replaced)
    if (!loaded) {
      buffered.push(fresh)
      return
    }
    await applyCommitted(store, state, fresh)
  })
  await store.read(async (conn) => {
    await loadAggregates(conn, stats, settings)
    await loadFeedback(conn, stats, settings)
    state.kappa = levelPriorStrengths(stats.entries(), settings.complexity_slope_sd)
    await loadMemory(conn, state)
    await loadDifficulty(conn, state.difficulty)
    const pending = await queryRows<{ task_id: string }>(
      conn,
      'SELECT DISTINCT f.task_id::VARCHAR AS task_id FROM feedback f ANTI JOIN executions e ON e.task_id = f.task_id',
    )
    for (const p of pending) state.pendingFeedback.add(p.task_id)
  })
  loaded = true
  // Commits that landed while loading may be counted twice; acceptable, they are at most one batch.
  for (const batch of buffered) await applyCommitted(store, state, batch)
  return state
}

/**
 * The executions of a committed batch the state has not counted: a retried task's record replaces a row
 * counted when it was first written (loading the table counts it once, so must the live state; its new
 * outcome counts from the next load), and of several records of one task_id only the last is stored.
 */
function newlyStored(written: readonly Execution[], replaced: ReadonlySet<string>): Execution[] {
  const last = new Map<string, Execution>()
  for (const e of written) if (!replaced.has(e.task_id)) last.set(e.task_id, e)
  return [...last.values()]
}

async function applyCommitted(
  store: Store,
  state: RouterState,
  written: readonly Execution[],
): Promise<void> {
  for (const e of written) {
    const time = e.timestamp.getTime()
    const predicted = pooledMean({ ...state, now: time }, e.model_tier, e.pool_type, e)
    state.drift.observe(e.model_tier, predicted, e.success ? 1 : 0)
    state.stats.add({ ...e, success: e.success ? 1 : 0, weight: 1, time })
    state.difficulty.observe(taskFeatures(e.model_tier, e), e.success ? 1 : 0, time)
    for (const target of state.qualityTargets.values()) target.observe(e.task_id, e.success, e.model_tier)
    state.memory.add(e.task_type, e.embedding, {
      model_tier: e.model_tier,
      pool_type: e.pool_type,
      success: e.success,
      actual_cost: e.actual_cost,
      duration_seconds: e.duration_seconds,
      timestamp: time,
      complexity_score: e.complexity_score,
      predicted,
    })
  }
  state.sinceKappa += written.length
  if (state.sinceKappa >= 2000) {
    state.kappa = levelPriorStrengths(state.stats.entries(), state.settings.complexity_slope_sd)
    state.sinceKappa = 0
  }
  const arrived = written.filter((e) => state.pendingFeedback.has(e.task_id))
  if (arrived.length > 0) await applyPendingFeedback(store, state, arrived)
}

/** Feedback accepted before its execution: join it now (executions columns and router evidence). */
async function applyPendingFeedback(
  store: Store,
  state: RouterState,
  arrived: readonly Execution[],
): Promise<void> {
  for (const e of arrived) {
    state.pendingFeedback.delete(e.task_id)
    const rows = await store.read((c) =>
      queryRows<{
        satisfaction: string | null
        rating: number | null
        issue_type: string | null
        accepted: boolean | null
      }>(
        c,
        'SELECT satisfaction, rating, issue_type, accepted FROM feedback WHERE task_id = $id::UUID ORDER BY timestamp',
        { id: e.task_id },
      ),
    )
    for (const f of rows) {
      const signal = feedbackSignal(f, state.settings.feedback_weight)
      if (signal) state.stats.add({ ...e, ...signal, time: Date.now() })
    }
    const last = rows.at(-1)
    if (last) {
      await store.withWriter((c) =>
        c.run(
          `UPDATE executions SET user_rating = coalesce($rating, user_rating), user_accepted = coalesce($accepted, user_accepted)
           WHERE task_id = $id::UUID`,
          { id: e.task_id, rating: last.rating, accepted: last.accepted },
        ),
      )
      // Ratings and acceptance are rollup measures: the day of this execution must be recomputed.
      invalidateRollups(store, e.timestamp, e.timestamp)
    }
  }
}

async function loadAggregates(
  conn: DuckDBConnection,
  stats: OptionStats,
  settings: RouterSettings,
): Promise<void> {
  const rows = await queryRows<Record<string, number | string>>(
    conn,
    `WITH x AS (
       SELECT model_tier AS t, pool_type AS p, task_type AS tt, least(complexity_score // 10, 9) AS b, repo AS r,
         pow(2, (epoch_ms(timestamp) - $ref) / $hl) AS w, success::INTEGER AS y, actual_cost AS c,
         estimated_tokens AS k, duration_seconds AS d
       FROM executions)
     SELECT t, p, tt, b, r, sum(w * y) AS s, sum(w * (1 - y)) AS f,
       sum(w) AS cw, sum(w * ln(c + 1e-6)) AS c1, sum(w * ln(c + 1e-6) ^ 2) AS c2,
       coalesce(sum(w) FILTER (k > 0 AND c > 0), 0) AS rw,
       coalesce(sum(w * ln(c / k)) FILTER (k > 0 AND c > 0), 0) AS r1,
       coalesce(sum(w * ln(c / k) ^ 2) FILTER (k > 0 AND c > 0), 0) AS r2,
       sum(w) AS dw, sum(w * ln(d + 0.01)) AS d1, sum(w * ln(d + 0.01) ^ 2) AS d2,
       count(*) AS n
     FROM x GROUP BY ALL`,
    { ref: stats.referenceTime, hl: settings.half_life_days * 86_400_000 },
  )
  for (const row of rows) {
    const [t, p, tt, r] = [String(row.t), String(row.p), String(row.tt), String(row.r)]
    stats.tiers.add(t)
    stats.pools.add(p)
    stats.taskTypes.add(tt)
    stats.count += Number(row.n)
    const outcome = { s: Number(row.s), f: Number(row.f) }
    for (const key of levelKeys(t, p, tt, Number(row.b), r)) stats.merge(key, outcome)
    const moments = {
      rw: Number(row.rw),
      r1: Number(row.r1),
      r2: Number(row.r2),
      cw: Number(row.cw),
      c1: Number(row.c1),
      c2: Number(row.c2),
      dw: Number(row.dw),
      d1: Number(row.d1),
      d2: Number(row.d2),
    }
    for (const key of costKeys(t, p, tt)) stats.merge(key, moments)
  }
}

async function loadFeedback(
  conn: DuckDBConnection,
  stats: OptionStats,
  settings: RouterSettings,
): Promise<void> {
  const rows = await queryRows<{
    model_tier: string
    pool_type: string
    task_type: string
    repo: string
    complexity_score: number
    satisfaction: string | null
    rating: number | null
    issue_type: string | null
    ms: number
  }>(
    conn,
    `SELECT e.model_tier, e.pool_type, e.task_type, e.repo, e.complexity_score, f.satisfaction, f.rating, f.issue_type,
       epoch_ms(f.timestamp) AS ms
     FROM feedback f JOIN executions e ON e.task_id = f.task_id`,
  )
  for (const f of rows) {
    const signal = feedbackSignal(f, settings.feedback_weight)
    if (signal) stats.add({ ...f, ...signal, time: Number(f.ms) })
  }
}

/** The most recent executions per task type, each with the pooled prediction for its option (from the loaded statistics). */
async function loadMemory(conn: DuckDBConnection, state: RouterState): Promise<void> {
  const { settings, memory } = state
  if (settings.memory_per_task_type === 0) return
  const rows = await queryRows<{
    task_type: string
    model_tier: string
    pool_type: string
    success: boolean
    actual_cost: number
    duration_seconds: number
    ms: number
    repo: string
    complexity_score: number | null
    embedding: number[]
  }>(
    conn,
    `WITH recent AS (
       SELECT task_id FROM (
         SELECT task_id, row_number() OVER (PARTITION BY task_type ORDER BY timestamp DESC) AS rn
         FROM executions WHERE embedding IS NOT NULL) WHERE rn <= $m)
     SELECT task_type, model_tier, pool_type, success, actual_cost, duration_seconds, epoch_ms(timestamp) AS ms,
            repo, complexity_score, embedding
     FROM executions SEMI JOIN recent USING (task_id) ORDER BY timestamp`,
    { m: settings.memory_per_task_type },
  )
  for (const r of rows) {
    const predicted = pooledMean({ ...state, now: Number(r.ms) }, r.model_tier, r.pool_type, {
      ...r,
      complexity_score: r.complexity_score ?? 50,
    })
    memory.add(r.task_type, Float32Array.from(r.embedding), {
      model_tier: r.model_tier,
      pool_type: r.pool_type,
      success: r.success,
      actual_cost: r.actual_cost,
      duration_seconds: r.duration_seconds,
      timestamp: Number(r.ms),
      complexity_score: r.complexity_score,
      predicted,
    })
  }
}

/**
 * Queue the most recent executions, oldest first, for the shared difficulty model (as many as it keeps
 * waiting); ties in time in task_id order, so that every load learns them in the same order.
 */
async function loadDifficulty(conn: DuckDBConnection, difficulty: SharedDifficulty): Promise<void> {
  const rows = await queryRows<{
    model_tier: string
    task_type: string
    repo: string
    complexity_score: number
    task_description: string
    success: boolean
    ms: number
  }>(
    conn,
    `SELECT model_tier, task_type, repo, complexity_score, task_description, success, epoch_ms(timestamp) AS ms
     FROM (SELECT * FROM executions ORDER BY timestamp DESC, task_id DESC LIMIT $n) ORDER BY timestamp, task_id`,
    { n: MAX_PENDING },
  )
  for (const r of rows) difficulty.observe(taskFeatures(r.model_tier, r), r.success ? 1 : 0, Number(r.ms))
}

/** At most this many quality targets (target × candidates × cost cap) are remembered per state. */
const MAX_QUALITY_TARGETS = 64

/** The quality target of this policy (its target and cost cap) over these candidates, created on first use. */
export function qualityTarget(
  state: RouterState,
  policy: Pick<RoutePolicy, 'quality_target' | 'max_cost'>,
  tiers: readonly string[],
  pools: readonly string[],
): QualityTarget {
  const id = JSON.stringify([policy.quality_target, tiers, pools, policy.max_cost ?? null])
  let found = state.qualityTargets.get(id)
  if (!found) {
    // Forget the oldest: a caller varying its candidates per task must not grow the state without end.
    if (state.qualityTargets.size >= MAX_QUALITY_TARGETS)
      state.qualityTargets.delete(state.qualityTargets.keys().next().value!)
    found = new QualityTarget(policy.quality_target)
    state.qualityTargets.set(id, found)
  }
  return found
}
