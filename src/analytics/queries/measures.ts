import type { QueryContext } from '../query-types.js'

/** SQL expressions over the `facts` CTE (sums of rollup measures), shared by the named queries. */
export const M = {
  executions: 'sum(executions)::BIGINT',
  successes: 'sum(successes)::BIGINT',
  failures: '(sum(executions) - sum(successes))::BIGINT',
  successPct: 'sum(successes)::DOUBLE * 100 / nullif(sum(executions), 0)',
  successRate: 'sum(successes)::DOUBLE / nullif(sum(executions), 0)',
  errorPct: '(sum(executions) - sum(successes))::DOUBLE * 100 / nullif(sum(executions), 0)',
  avgDuration: '(sum(duration_sum) / nullif(sum(executions), 0))::DOUBLE',
  avgCost: '(sum(cost_sum) / nullif(sum(executions), 0))::DOUBLE',
  totalCost: 'coalesce(sum(cost_sum), 0)::DOUBLE',
  totalEstimate: 'coalesce(sum(estimate_sum), 0)::DOUBLE',
  avgQuality: 'sum(quality_sum)::DOUBLE / nullif(sum(quality_n), 0)',
  avgConfidencePct: '(sum(confidence_sum) * 100 / nullif(sum(executions), 0))::DOUBLE',
  avgCostErrorPct: '(sum(cost_error_pct_sum) / nullif(sum(cost_error_pct_n), 0))::DOUBLE',
  acceptancePct: 'sum(accepted_n)::DOUBLE * 100 / nullif(sum(accepted_known), 0)',
  avgRating: 'sum(rating_sum)::DOUBLE / nullif(sum(rating_n), 0)',
} as const

/** `p50, p95, p99` of the durations of the facts, exact (the rollup keeps every duration of its bucket). */
export const DURATION_PERCENTILES = `quantile_cont(d, 0.5) AS p50, quantile_cont(d, 0.95) AS p95, quantile_cont(d, 0.99) AS p99`

/** Durations of the facts, one per row, with the listed dimension columns. */
export function unnestDurations(columns: string): string {
  return `SELECT ${columns}${columns ? ', ' : ''}unnest(durations)::DECIMAL(18,6)::DOUBLE AS d FROM facts`
}

/**
 * A time series over the facts at the query's bucket (hour, day or week): `time`, the `dims` columns, then `select`.
 * Hourly buckets read the hourly rollup, day and week buckets the daily one.
 */
export function series(ctx: QueryContext, select: string, dims = '') {
  const bucket = ctx.params.bucket ?? 'day'
  const f = ctx.facts(bucket === 'hour' ? 'hour' : 'day')
  const time = bucket === 'hour' ? 'hour' : bucket === 'week' ? "date_trunc('week', day)" : 'day'
  const dimList = dims ? `${dims}, ` : ''
  return ctx.rows(
    `WITH ${f.cte} SELECT ${time}::TIMESTAMP AS time, ${dimList}${select} FROM facts GROUP BY ALL ORDER BY time${dims ? `, ${dims}` : ''}`,
    f.values,
  )
}

/** Rows per value of one daily dimension, ordered by `order`. */
export function breakdown(ctx: QueryContext, dim: string, select: string, order: string) {
  const f = ctx.facts('day')
  return ctx.rows(
    `WITH ${f.cte} SELECT ${dim} AS metric, ${select} FROM facts GROUP BY ${dim} ORDER BY ${order}, metric`,
    f.values,
  )
}
