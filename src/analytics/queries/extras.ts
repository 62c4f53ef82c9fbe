import type { QueryDefinition } from '../query-types.js'
import { M, series } from './measures.js'

const DEC = (col: string) => `${col}::DECIMAL(18,6)::DOUBLE`

/** The original project's other documented queries: per-day series, cost trends, live and today, retention ages. */
export const EXTRA_QUERIES: readonly QueryDefinition[] = [
  {
    name: 'executions_per_day',
    title: 'Executions per day',
    description: 'Executions, successes, mean duration and quality per bucket (default daily over 30 days).',
    defaultWindow: '30d',
    defaultBucket: 'day',
    extraParams: ['bucket'],
    panel: 'timeseries',
    result: { kind: 'series', columns: ['time', 'executions', 'successful', 'avg_duration', 'avg_quality'] },
    run: (ctx) =>
      series(
        ctx,
        `${M.executions} AS executions, ${M.successes} AS successful, ${M.avgDuration} AS avg_duration, ${M.avgQuality} AS avg_quality`,
      ),
  },
  {
    name: 'cost_trends',
    title: 'Cost trends',
    description:
      'Actual and estimated cost and savings (estimate - actual) per bucket (default daily over 30 days).',
    defaultWindow: '30d',
    defaultBucket: 'day',
    extraParams: ['bucket'],
    panel: 'timeseries',
    result: { kind: 'series', columns: ['time', 'total_cost', 'total_estimate', 'savings'] },
    run: (ctx) =>
      series(
        ctx,
        `${M.totalCost} AS total_cost, ${M.totalEstimate} AS total_estimate, (sum(estimate_sum) - sum(cost_sum))::DOUBLE AS savings`,
      ),
  },
  {
    name: 'hourly_summary',
    title: 'Hourly summary',
    description:
      'Executions, success percent, mean duration and cost per bucket (default hourly over 24 hours).',
    defaultWindow: '24h',
    defaultBucket: 'hour',
    extraParams: ['bucket'],
    panel: 'timeseries',
    result: { kind: 'series', columns: ['time', 'executions', 'success_rate', 'avg_duration', 'total_cost'] },
    run: (ctx) =>
      series(
        ctx,
        `${M.executions} AS executions, ${M.successPct} AS success_rate, ${M.avgDuration} AS avg_duration, ${M.totalCost} AS total_cost`,
      ),
  },
  {
    name: 'pool_utilization',
    title: 'Pool utilisation over time',
    description:
      'Executions, success percent and mean duration per pool and bucket (default daily over 7 days).',
    defaultWindow: '7d',
    defaultBucket: 'day',
    extraParams: ['bucket'],
    panel: 'timeseries',
    result: { kind: 'series', columns: ['time', 'pool_type', 'executions', 'success_rate', 'avg_duration'] },
    run: (ctx) =>
      series(
        ctx,
        `${M.executions} AS executions, ${M.successPct} AS success_rate, ${M.avgDuration} AS avg_duration`,
        'pool_type',
      ),
  },
  {
    name: 'live_executions',
    title: 'Live executions',
    description: 'The 100 newest executions of the window (default the last 5 minutes).',
    defaultWindow: '5m',
    panel: 'table',
    result: {
      kind: 'rows',
      columns: [
        'timestamp',
        'task_id',
        'task_type',
        'repo',
        'model_tier',
        'pool_type',
        'success',
        'duration_seconds',
        'quality_score',
        'error_type',
      ],
    },
    run: (ctx) =>
      ctx.rows(
        `SELECT timestamp, task_id::VARCHAR AS task_id, task_type, repo, model_tier, pool_type, success,
           ${DEC('duration_seconds')} AS duration_seconds, quality_score, error_type
         FROM executions WHERE true ${ctx.rawWhere} ORDER BY timestamp DESC, task_id LIMIT 100`,
        ctx.rawValues,
      ),
  },
  {
    name: 'executions_today',
    title: 'Executions today',
    description: 'Executions, successes and success percent since midnight UTC.',
    defaultWindow: 'today',
    windowed: false,
    panel: 'stat',
    result: { kind: 'stat', columns: ['value', 'successful', 'success_rate'] },
    run: (ctx) => {
      const f = ctx.facts('total')
      return ctx.rows(
        `WITH ${f.cte} SELECT ${M.executions} AS value, ${M.successes} AS successful, ${M.successPct} AS success_rate FROM facts`,
        f.values,
      )
    },
  },
  {
    name: 'retention_age_buckets',
    title: 'Executions by age',
    description:
      "Rows per age band: '0-7 days', '7-30 days', '30-90 days', '90+ days (expired)' (whole table).",
    defaultWindow: 'all',
    windowed: false,
    panel: 'donut',
    result: { kind: 'rows', columns: ['metric', 'value'] },
    run: (ctx) =>
      ctx.rows(
        `WITH c AS (SELECT CASE WHEN timestamp > $until::TIMESTAMP - INTERVAL 7 DAY THEN 1
                  WHEN timestamp > $until::TIMESTAMP - INTERVAL 30 DAY THEN 2
                  WHEN timestamp > $until::TIMESTAMP - INTERVAL 90 DAY THEN 3 ELSE 4 END AS o, count(*) AS n
                FROM executions WHERE true ${ctx.rawWhere} GROUP BY o),
         bands(o, metric) AS (VALUES (1, '0-7 days'), (2, '7-30 days'), (3, '30-90 days'), (4, '90+ days (expired)'))
         SELECT metric, coalesce(n, 0)::BIGINT AS value FROM bands LEFT JOIN c USING (o) ORDER BY o`,
        ctx.rawValues,
      ),
  },
]
