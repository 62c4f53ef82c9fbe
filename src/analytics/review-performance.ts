import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { runQuery } from './query-registry.js'

/** A row of the review's `tier_performance_mv`: one repo × model tier × task type × day. */
export interface TierPerformance {
  repo: string
  model_tier: string
  task_type: string
  /** Start of the day (UTC), ISO 8601. */
  date: string
  total_executions: number
  successful_count: number
  avg_duration: number
  avg_cost: number
  avg_quality: number | null
  p95_duration: number
}

/** A row of the review's `pool_performance_mv`: one pool × repo × hour. */
export interface PoolPerformance {
  pool_type: string
  repo: string
  /** Start of the hour (UTC), ISO 8601. */
  hour: string
  total_tasks: number
  successful_tasks: number
  avg_duration: number
  avg_cost: number
  /** Successes / tasks, a fraction in [0, 1]. */
  success_rate: number
}

/** Options of the seed-parity reads: an optional repo and the look-back in days. */
export interface PerformanceOptions {
  repo?: string
  days?: number
  /** The clock (tests). Default now. */
  now?: Date
}

function since(days: number, now: Date): string {
  if (!Number.isInteger(days) || days < 1 || days > 3660) {
    throw invalidInput(`days must be a whole number between 1 and 3660, got ${days}`)
  }
  return new Date(now.getTime() - days * 86_400_000).toISOString()
}

/**
 * Per repo, model tier, task type and day over the last `days` (default 30): the review's `get_tier_performance`.
 * @example
 * const rows = await getTierPerformance(store, { repo: 'orb/api', days: 7 })
 */
export async function getTierPerformance(
  store: Store,
  options: PerformanceOptions = {},
): Promise<TierPerformance[]> {
  const now = options.now ?? new Date()
  const params = {
    since: since(options.days ?? 30, now),
    until: now.toISOString(),
    ...(options.repo === undefined ? {} : { repo: options.repo }),
  }
  const result = await runQuery(store, 'tier_performance', params, { now })
  return result.rows as unknown as TierPerformance[]
}

/**
 * Per pool, repo and hour over the last `days` (default 7): the review's `get_pool_performance`.
 * @example
 * const rows = await getPoolPerformance(store, { days: 1 })
 */
export async function getPoolPerformance(
  store: Store,
  options: PerformanceOptions = {},
): Promise<PoolPerformance[]> {
  const now = options.now ?? new Date()
  const params = {
    since: since(options.days ?? 7, now),
    until: now.toISOString(),
    ...(options.repo === undefined ? {} : { repo: options.repo }),
  }
  const result = await runQuery(store, 'pool_performance_hourly', params, { now })
  return result.rows as unknown as PoolPerformance[]
}
