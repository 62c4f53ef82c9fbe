import type { Store } from '../store.js'
import type { Range } from './query-params.js'
import { runQuery } from './query-registry.js'
import { num, parseStatisticsInput, renameMetric, type StatisticsInput } from './statistics-input.js'

/** One bucket of the execution time series (hourly for 1h and 24h, daily otherwise). */
export interface StatisticsBucket {
  time: string
  executions: number
  successful: number
  /** Percent 0-100, null for an empty bucket. */
  success_rate: number | null
  avg_duration: number | null
  avg_quality: number | null
}

/** The original `execution_statistics` tool's result: volume and outcome by time and by dimension. */
export interface ExecutionStatistics {
  time_range: Range
  since: string
  until: string
  time_series: StatisticsBucket[]
  by_model_tier: Record<string, unknown>[]
  by_pool_type: Record<string, unknown>[]
  top_repositories: Record<string, unknown>[]
  by_task_type: Record<string, unknown>[]
  performance: {
    total_executions: number
    successful: number
    /** Percent 0-100, null without executions. */
    success_rate: number | null
    avg_duration_seconds: number | null
    avg_quality_score: number | null
    total_cost: number | null
  }
}

/**
 * Executions over a time range (`1h|24h|7d|30d|90d`, default 7d): a time series, breakdowns by model tier,
 * pool, repository and task type, and overall performance; composed from the named queries.
 * @example
 * const s = await getExecutionStatistics(store, { time_range: '24h', repo: 'orb/api' })
 */
export async function getExecutionStatistics(
  store: Store,
  input: StatisticsInput = {},
  options: { now?: Date } = {},
): Promise<ExecutionStatistics> {
  const { time_range, params } = parseStatisticsInput(input)
  const now = options.now ?? new Date()
  const run = (name: string, extra: Record<string, string> = {}) =>
    runQuery(store, name, { ...params, ...extra }, { now })
  const bucket = time_range === '1h' || time_range === '24h' ? 'hour' : 'day'
  const series = await run('executions_per_day', { bucket })
  const tiers = await run('success_rate_by_tier')
  const tierCosts = await run('cost_efficiency_by_tier')
  const pools = await run('pool_performance')
  const repos = await run('top_repos')
  const taskTypes = await run('success_rate_by_task_type')
  const taskTypeDetail = await run('task_type_distribution')
  const [duration] = (await run('duration_stats')).rows
  const [quality] = (await run('avg_quality_24h')).rows
  const [cost] = (await run('total_cost_24h')).rows
  const costByTier = new Map(tierCosts.rows.map((r) => [r.metric, r]))
  const detailByType = new Map(taskTypeDetail.rows.map((r) => [r.metric, r]))
  const total = tiers.rows.reduce((n, r) => n + (num(r, 'executions') ?? 0), 0)
  const successful = tiers.rows.reduce((n, r) => n + (num(r, 'successful') ?? 0), 0)
  return {
    time_range,
    since: series.params.since,
    until: series.params.until,
    time_series: series.rows.map((r) => {
      const executions = num(r, 'executions') ?? 0
      const ok = num(r, 'successful') ?? 0
      return {
        time: String(r.time),
        executions,
        successful: ok,
        success_rate: executions > 0 ? (100 * ok) / executions : null,
        avg_duration: num(r, 'avg_duration'),
        avg_quality: num(r, 'avg_quality'),
      }
    }),
    by_model_tier: renameMetric(tiers.rows, 'model_tier').map((r) => {
      const c = costByTier.get(r.model_tier)
      return { ...r, total_cost: num(c, 'total_cost'), avg_cost_error_pct: num(c, 'avg_cost_error_pct') }
    }),
    by_pool_type: renameMetric(pools.rows, 'pool_type'),
    top_repositories: renameMetric(repos.rows, 'repo'),
    by_task_type: renameMetric(taskTypes.rows, 'task_type').map((r) => {
      const d = detailByType.get(r.task_type)
      return { ...r, avg_duration: num(d, 'avg_duration'), avg_quality: num(d, 'avg_quality') }
    }),
    performance: {
      total_executions: total,
      successful,
      success_rate: total > 0 ? (100 * successful) / total : null,
      avg_duration_seconds: num(duration, 'avg'),
      avg_quality_score: num(quality, 'value'),
      total_cost: num(cost, 'value'),
    },
  }
}
