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
