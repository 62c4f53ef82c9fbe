import type { Store } from '../store.js'
import type { Range } from './query-params.js'
import { runQuery } from './query-registry.js'
import { num, parseStatisticsInput, renameMetric, type StatisticsInput } from './statistics-input.js'

/** Duration, cost and resource figures of one model tier. */
export interface TierMetrics {
  model_tier: string
  executions: number
  p50_seconds: number | null
  p95_seconds: number | null
  p99_seconds: number | null
  total_cost: number | null
  avg_cost: number | null
  avg_savings: number | null
}

/** The original `performance_metrics` tool's result: duration percentiles, cost, resources, per tier. */
export interface PerformanceMetrics {
  time_range: Range
  since: string
  until: string
  executions: number
  duration: {
    avg_seconds: number | null
    p50_seconds: number | null
    p95_seconds: number | null
    p99_seconds: number | null
  }
  /** USD; savings = estimate - actual (negative when tasks cost more than estimated). */
  cost: {
    total_cost: number | null
    avg_cost: number | null
    avg_savings: number | null
    total_estimate: number | null
  }
  resources: {
    avg_memory_mb: number | null
    p95_memory_mb: number | null
    avg_cpu_seconds: number | null
    p95_cpu_seconds: number | null
  }
  by_model_tier: TierMetrics[]
}

/**
 * Duration percentiles, cost (total, mean, mean savings against the estimate), memory and CPU use, and the same
 * per model tier, over a time range (`1h|24h|7d|30d|90d`, default 7d); composed from the named queries.
 * @example
 * const m = await getPerformanceMetrics(store, { time_range: '30d' })
 */
export async function getPerformanceMetrics(
  store: Store,
  input: StatisticsInput = {},
  options: { now?: Date } = {},
): Promise<PerformanceMetrics> {
  const { time_range, params } = parseStatisticsInput(input)
  const now = options.now ?? new Date()
  const run = (name: string) => runQuery(store, name, params, { now })
  const stats = await run('duration_stats')
  const [duration] = stats.rows
  const tierDurations = renameMetric((await run('duration_percentiles_by_tier')).rows, 'model_tier')
  const tierCosts = renameMetric((await run('cost_efficiency_by_tier')).rows, 'model_tier')
  const resources = new Map((await run('resource_percentiles')).rows.map((r) => [r.metric, r]))
  const executions = num(duration, 'executions') ?? 0
  const sum = (key: string) =>
    tierCosts.length === 0 ? null : tierCosts.reduce((n, r) => n + (num(r, key) ?? 0), 0)
  const totalCost = sum('total_cost')
  const savings = sum('savings')
  const per = (value: number | null, n: number) => (value === null || n === 0 ? null : value / n)
  const costOf = new Map(tierCosts.map((r) => [r.model_tier, r]))
  const memory = resources.get('peak_memory_mb')
  const cpu = resources.get('cpu_time_seconds')
  return {
    time_range,
    since: stats.params.since,
    until: stats.params.until,
    executions,
    duration: {
      avg_seconds: num(duration, 'avg'),
      p50_seconds: num(duration, 'p50'),
      p95_seconds: num(duration, 'p95'),
      p99_seconds: num(duration, 'p99'),
    },
    cost: {
      total_cost: totalCost,
      avg_cost: per(totalCost, executions),
      avg_savings: per(savings, executions),
      total_estimate: sum('total_estimate'),
    },
    resources: {
      avg_memory_mb: num(memory, 'avg'),
      p95_memory_mb: num(memory, 'p95'),
      avg_cpu_seconds: num(cpu, 'avg'),
      p95_cpu_seconds: num(cpu, 'p95'),
    },
    by_model_tier: tierDurations.map((d) => {
      const c = costOf.get(d.model_tier)
      const n = num(d, 'executions') ?? 0
      return {
        model_tier: String(d.model_tier),
        executions: n,
        p50_seconds: num(d, 'p50'),
        p95_seconds: num(d, 'p95'),
        p99_seconds: num(d, 'p99'),
        total_cost: num(c, 'total_cost'),
        avg_cost: per(num(c, 'total_cost'), n),
        avg_savings: per(num(c, 'savings'), n),
      }
    }),
  }
}
