import { z } from 'zod'
import { getExecutionStatistics } from '../../../analytics/execution-statistics.js'
import { getPerformanceMetrics } from '../../../analytics/performance-metrics.js'
import { StatisticsInputSchema } from '../../../analytics/statistics-input.js'
import { defineTool } from '../tool.js'

const n = z.number().nullable()
const rows = z.array(z.looseObject({}))
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const

// The window every statistics answer states: the range asked for and its resolved bounds.
const RANGE_FIELDS = { time_range: z.string(), since: z.string(), until: z.string() }

/** `execution_statistics`: volume and outcomes over a time range, by time, tier, pool, repo and task type. */
export const executionStatisticsTool = defineTool({
  name: 'execution_statistics',
  title: 'Execution statistics',
  description:
    'How much ran and how well, over time_range 1h|24h|7d|30d|90d (default 7d): a time series (hourly for ' +
    '1h/24h, daily otherwise) of executions, successes and success rate; breakdowns by model tier, pool, top ' +
    'repositories and task type; overall success rate (percent), mean duration, mean quality and total cost. ' +
    'Optional filters repo, model_tier, pool_type, task_type.',
  scope: 'read',
  input: StatisticsInputSchema,
  output: z.object({
    ...RANGE_FIELDS,
    time_series: z.array(
      z.object({
        time: z.string(),
        executions: z.number(),
        successful: z.number(),
        success_rate: n,
        avg_duration: n,
        avg_quality: n,
      }),
    ),
    by_model_tier: rows,
    by_pool_type: rows,
    top_repositories: rows,
    by_task_type: rows,
    performance: z.object({
      total_executions: z.number(),
      successful: z.number(),
      success_rate: n,
      avg_duration_seconds: n,
      avg_quality_score: n,
      total_cost: n,
    }),
  }),
  annotations: READ_ONLY,
  run: (store, input) => getExecutionStatistics(store, input),
})

/** `performance_metrics`: duration percentiles, cost, resources and per-tier figures over a time range. */
export const performanceMetricsTool = defineTool({
  name: 'performance_metrics',
  title: 'Performance metrics',
  description:
    'How fast and how expensive, over time_range 1h|24h|7d|30d|90d (default 7d): duration mean and ' +
    'p50/p95/p99 in seconds; cost total, mean and mean savings against the estimate (USD, negative when ' +
    'tasks cost more than estimated); mean and p95 peak memory (MB) and CPU seconds; the same per model tier. ' +
    'Optional filters repo, model_tier, pool_type, task_type.',
  scope: 'read',
  input: StatisticsInputSchema,
  output: z.object({
    ...RANGE_FIELDS,
    executions: z.number(),
    duration: z.object({ avg_seconds: n, p50_seconds: n, p95_seconds: n, p99_seconds: n }),
    cost: z.object({ total_cost: n, avg_cost: n, avg_savings: n, total_estimate: n }),
    resources: z.object({ avg_memory_mb: n, p95_memory_mb: n, avg_cpu_seconds: n, p95_cpu_seconds: n }),
    by_model_tier: z.array(
      z.object({
        model_tier: z.string(),
        executions: z.number(),
        p50_seconds: n,
        p95_seconds: n,
        p99_seconds: n,
        total_cost: n,
        avg_cost: n,
        avg_savings: n,
      }),
    ),
  }),
  annotations: READ_ONLY,
  run: (store, input) => getPerformanceMetrics(store, input),
})
