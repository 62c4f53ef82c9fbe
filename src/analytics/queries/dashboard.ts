import type { QueryDefinition } from '../query-types.js'
import { DURATION_PERCENTILES, M, series, unnestDurations } from './measures.js'

const stat = (
  name: string,
  title: string,
  description: string,
  defaultWindow: QueryDefinition['defaultWindow'],
  expr: string,
  panel: 'stat' | 'gauge' = 'stat',
): QueryDefinition => ({
  name,
  title,
  description,
  defaultWindow,
  panel,
  result: { kind: 'stat', columns: ['value'] },
  run: (ctx) => {
    const f = ctx.facts('total')
    return ctx.rows(`WITH ${f.cte} SELECT ${expr} AS value FROM facts`, f.values)
  },
})

const byTier = (
  name: string,
  title: string,
  description: string,
  expr: string,
  panel: 'bargauge' | 'donut',
) =>
  ({
    name,
    title,
    description,
    defaultWindow: '7d',
    panel,
    result: { kind: 'rows', columns: ['metric', 'value'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT model_tier AS metric, ${expr} AS value FROM facts GROUP BY model_tier
         ORDER BY value DESC NULLS LAST, metric`,
        f.values,
      )
    },
  }) satisfies QueryDefinition

/** The 17 queries of the original Grafana dashboard, by their original names (window = their default range). */
export const DASHBOARD_QUERIES: readonly QueryDefinition[] = [
  stat(
    'execution_count_24h',
    'Execution count',
    'Executions in the window (default 24 h).',
    '24h',
    M.executions,
  ),
  stat(
    'success_rate_24h',
    'Success rate',
    'Percent of executions that succeeded (default 24 h).',
    '24h',
    M.successPct,
  ),
  stat(
    'avg_quality_24h',
    'Average quality score',
    'Mean quality_score where known (default 24 h).',
    '24h',
    M.avgQuality,
  ),
  stat('total_cost_24h', 'Total cost', 'Sum of actual_cost in USD (default 24 h).', '24h', M.totalCost),
  {
    name: 'executions_over_time',
    title: 'Executions over time',
    description: 'Executions per bucket (default hourly over 7 days).',
    defaultWindow: '7d',
    defaultBucket: 'hour',
    extraParams: ['bucket'],
    panel: 'timeseries',
    result: { kind: 'series', columns: ['time', 'value'] },
    run: (ctx) => series(ctx, `${M.executions} AS value`),
  },
  {
    name: 'success_rate_over_time',
    title: 'Success rate over time',
    description: 'Success percent per bucket (default daily over 7 days).',
    defaultWindow: '7d',
    defaultBucket: 'day',
    extraParams: ['bucket'],
    panel: 'timeseries',
    result: { kind: 'series', columns: ['time', 'value'] },
    run: (ctx) => series(ctx, `${M.successPct} AS value`),
  },
  byTier(
    'success_by_model_tier',
    'Success rate by model tier',
    'Success percent per model tier (default 7 days).',
    M.successPct,
    'bargauge',
  ),
  byTier(
    'duration_by_model_tier',
    'Average duration by model tier',
    'Mean duration_seconds per model tier (default 7 days).',
    M.avgDuration,
    'bargauge',
  ),
  byTier(
    'cost_by_model_tier',
    'Cost by model tier',
    'Sum of actual_cost per model tier (default 7 days).',
    M.totalCost,
    'donut',
  ),
  {
    name: 'pool_performance',
    title: 'Pool performance comparison',
    description: 'Executions, success percent, mean duration and cost per pool (default 7 days).',
    defaultWindow: '7d',
    panel: 'table',
    result: { kind: 'rows', columns: ['metric', 'executions', 'success_rate', 'avg_duration', 'avg_cost'] },
    run: (ctx) => {
      const f = ctx.facts('total')
      return ctx.rows(
        `WITH ${f.cte} SELECT pool_type AS metric, ${M.executions} AS executions, ${M.successPct} AS success_rate,
         ${M.avgDuration} AS avg_duration, ${M.avgCost} AS avg_cost FROM facts GROUP BY pool_type
         ORDER BY executions DESC, metric`,
        f.values,
      )
    },
  },
  {
    name: 'top_repos',
    title: 'Top repositories by execution count',
    description:
      'The 10 repositories with most executions: count, mean quality and duration, total cost (default 30 days).',
    defaultWindow: '30d',
    panel: 'table',
    result: { kind: 'rows', columns: ['metric', 'executions', 'avg_quality', 'avg_duration', 'total_cost'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT repo AS metric, ${M.executions} AS executions, ${M.avgQuality} AS avg_quality,
         ${M.avgDuration} AS avg_duration, ${M.totalCost} AS total_cost FROM facts GROUP BY repo
         ORDER BY executions DESC, metric LIMIT 10`,
        f.values,
      )
    },
  },
  {
    name: 'duration_percentiles',
    title: 'Duration percentiles',
    description: 'Exact p50, p95 and p99 of duration_seconds (default 7 days).',
    defaultWindow: '7d',
    panel: 'gauge',
    result: { kind: 'stat', columns: ['p50', 'p95', 'p99'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(`WITH ${f.cte} SELECT ${DURATION_PERCENTILES} FROM (${unnestDurations('')})`, f.values)
    },
  },
  {
    name: 'quality_distribution',
    title: 'Quality score distribution',
    description:
      'Executions per quality band: excellent >= 90, good >= 75, fair >= 60, poor < 60 (default 30 days).',
    defaultWindow: '30d',
    panel: 'donut',
    result: { kind: 'rows', columns: ['metric', 'value'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte}, t AS (SELECT sum(q_excellent) AS e, sum(q_good) AS g, sum(q_fair) AS f, sum(q_poor) AS p FROM facts)
         SELECT metric, value::BIGINT AS value FROM (
           SELECT 1 AS o, 'excellent' AS metric, e AS value FROM t UNION ALL SELECT 2, 'good', g FROM t
           UNION ALL SELECT 3, 'fair', f FROM t UNION ALL SELECT 4, 'poor', p FROM t)
         WHERE value > 0 ORDER BY o`,
        f.values,
      )
    },
  },
  {
    name: 'task_type_distribution',
    title: 'Task type distribution',
    description: 'The 15 most frequent task types: count, mean duration and quality (default 30 days).',
    defaultWindow: '30d',
    panel: 'table',
    result: { kind: 'rows', columns: ['metric', 'executions', 'avg_duration', 'avg_quality'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT task_type AS metric, ${M.executions} AS executions, ${M.avgDuration} AS avg_duration,
         ${M.avgQuality} AS avg_quality FROM facts GROUP BY task_type ORDER BY executions DESC, metric LIMIT 15`,
        f.values,
      )
    },
  },
  {
    name: 'top_errors',
    title: 'Top error types',
    description: 'The 10 most frequent error types with their last occurrence (default 7 days).',
    defaultWindow: '7d',
    panel: 'table',
    result: { kind: 'rows', columns: ['metric', 'value', 'last_occurrence'] },
    run: (ctx) =>
      ctx.rows(
        `SELECT error_type AS metric, count(*) AS value, max(timestamp) AS last_occurrence FROM executions
         WHERE error_type IS NOT NULL ${ctx.rawWhere} GROUP BY error_type ORDER BY value DESC, metric LIMIT 10`,
        ctx.rawValues,
      ),
  },
  stat(
    'database_growth',
    'Executions recorded (30 days)',
    'Rows with a timestamp in the window (default 30 days).',
    '30d',
    M.executions,
  ),
  stat(
    'avg_routing_confidence',
    'Average routing confidence',
    'Mean routing_confidence in percent (default 7 days).',
    '7d',
    M.avgConfidencePct,
    'gauge',
  ),
]
