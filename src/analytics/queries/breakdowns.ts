import type { QueryDefinition } from '../query-types.js'
import { breakdown, DURATION_PERCENTILES, M, series, unnestDurations } from './measures.js'

const DIMENSIONS = [
  ['tier', 'model_tier', 'model tier'],
  ['pool', 'pool_type', 'pool'],
  ['repo', 'repo', 'repository'],
  ['task_type', 'task_type', 'task type'],
] as const

const successRateBy = DIMENSIONS.map(
  ([suffix, column, label]): QueryDefinition => ({
    name: `success_rate_by_${suffix}`,
    title: `Success rate by ${label}`,
    description: `Executions, successes and success percent per ${label} (default 7 days).`,
    defaultWindow: '7d',
    panel: 'bargauge',
    result: { kind: 'rows', columns: ['metric', 'executions', 'successful', 'success_rate'] },
    run: (ctx) =>
      breakdown(
        ctx,
        column,
        `${M.executions} AS executions, ${M.successes} AS successful, ${M.successPct} AS success_rate`,
        'success_rate DESC NULLS LAST',
      ),
  }),
)

const percentilesBy = DIMENSIONS.filter(([suffix]) => suffix !== 'repo').map(
  ([suffix, column, label]): QueryDefinition => ({
    name: `duration_percentiles_by_${suffix}`,
    title: `Duration percentiles by ${label}`,
    description: `Exact p50, p95 and p99 of duration_seconds per ${label} (default 7 days).`,
    defaultWindow: '7d',
    panel: 'table',
    result: { kind: 'rows', columns: ['metric', 'executions', 'p50', 'p95', 'p99'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT ${column} AS metric, count(*)::BIGINT AS executions, ${DURATION_PERCENTILES}
         FROM (${unnestDurations(column)}) GROUP BY ${column} ORDER BY p95 DESC, metric`,
        f.values,
      )
    },
  }),
)

/** Breakdowns by tier, pool, repo and task type; error and cost series; the task type × tier heat map. */
export const BREAKDOWN_QUERIES: readonly QueryDefinition[] = [
  ...successRateBy,
  ...percentilesBy,
  {
    name: 'duration_stats',
    title: 'Task duration distribution',
    description: 'Mean and exact p50, p95, p99 of duration_seconds (default 7 days).',
    defaultWindow: '7d',
    panel: 'stat',
    result: { kind: 'stat', columns: ['executions', 'avg', 'p50', 'p95', 'p99'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT count(*)::BIGINT AS executions, avg(d) AS avg, ${DURATION_PERCENTILES}
         FROM (${unnestDurations('')})`,
        f.values,
      )
    },
  },
  {
    name: 'quality_by_tier',
    title: 'Quality by model tier',
    description:
      'Executions with a quality score, their mean, and the share rated excellent, per model tier (default 30 days).',
    defaultWindow: '30d',
    panel: 'bargauge',
    result: { kind: 'rows', columns: ['metric', 'scored', 'avg_quality', 'excellent_pct'] },
    run: (ctx) =>
      breakdown(
        ctx,
        'model_tier',
        `sum(quality_n)::BIGINT AS scored, ${M.avgQuality} AS avg_quality,
         sum(q_excellent)::DOUBLE * 100 / nullif(sum(quality_n), 0) AS excellent_pct`,
        'avg_quality DESC NULLS LAST',
      ),
  },
  {
    name: 'user_feedback_by_tier',
    title: 'User acceptance and rating by model tier',
    description:
      'Accepted percent (of executions with a decision) and mean user rating per model tier (default 30 days).',
    defaultWindow: '30d',
    panel: 'table',
    result: {
      kind: 'rows',
      columns: ['metric', 'executions', 'decided', 'acceptance_rate', 'rated', 'avg_rating'],
    },
    run: (ctx) =>
      breakdown(
        ctx,
        'model_tier',
        `${M.executions} AS executions, sum(accepted_known)::BIGINT AS decided, ${M.acceptancePct} AS acceptance_rate,
         sum(rating_n)::BIGINT AS rated, ${M.avgRating} AS avg_rating`,
        'executions DESC',
      ),
  },
  {
    name: 'user_feedback',
    title: 'User acceptance and rating',
    description: 'Executions, accepted percent of decided ones, and mean user rating (default 30 days).',
    defaultWindow: '30d',
    panel: 'stat',
    result: { kind: 'stat', columns: ['executions', 'decided', 'acceptance_rate', 'rated', 'avg_rating'] },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT ${M.executions} AS executions, sum(accepted_known)::BIGINT AS decided,
         ${M.acceptancePct} AS acceptance_rate, sum(rating_n)::BIGINT AS rated, ${M.avgRating} AS avg_rating FROM facts`,
        f.values,
      )
    },
  },
  {
    name: 'errors_by_tier',
    title: 'Errors by model tier',
    description:
      'Failed executions, failure percent and executions with an error type, per model tier (default 7 days).',
    defaultWindow: '7d',
    panel: 'bargauge',
    result: { kind: 'rows', columns: ['metric', 'executions', 'failures', 'error_rate', 'with_error_type'] },
    run: (ctx) =>
      breakdown(
        ctx,
        'model_tier',
        `${M.executions} AS executions, ${M.failures} AS failures, ${M.errorPct} AS error_rate,
         sum(errors)::BIGINT AS with_error_type`,
        'error_rate DESC NULLS LAST',
      ),
  },
  {
    name: 'error_rate_over_time',
    title: 'Error rate over time',
    description: 'Executions, failures and failure percent per bucket (default daily over 7 days).',
    defaultWindow: '7d',
    defaultBucket: 'day',
    extraParams: ['bucket'],
    panel: 'timeseries',
    result: { kind: 'series', columns: ['time', 'executions', 'failures', 'error_rate'] },
    run: (ctx) =>
      series(ctx, `${M.executions} AS executions, ${M.failures} AS failures, ${M.errorPct} AS error_rate`),
  },
  {
    name: 'cost_efficiency_by_tier',
    title: 'Cost efficiency by model tier',
    description:
      'Estimated vs actual cost per model tier: totals, savings (estimate - actual), actual/estimate ratio, mean cost_error_pct (default 30 days).',
    defaultWindow: '30d',
    panel: 'table',
    result: {
      kind: 'rows',
      columns: [
        'metric',
        'executions',
        'total_estimate',
        'total_cost',
        'savings',
        'cost_ratio',
        'avg_cost_error_pct',
      ],
    },
    run: (ctx) =>
      breakdown(
        ctx,
        'model_tier',
        `${M.executions} AS executions, ${M.totalEstimate} AS total_estimate, ${M.totalCost} AS total_cost,
         (sum(estimate_sum) - sum(cost_sum))::DOUBLE AS savings,
         (sum(cost_sum) / nullif(sum(estimate_sum), 0))::DOUBLE AS cost_ratio, ${M.avgCostErrorPct} AS avg_cost_error_pct`,
        'total_cost DESC',
      ),
  },
  {
    name: 'task_type_tier_heatmap',
    title: 'Task type × model tier',
    description:
      'Executions, success percent and mean duration for every task type and model tier (default 30 days).',
    defaultWindow: '30d',
    panel: 'heatmap',
    result: {
      kind: 'rows',
      columns: ['task_type', 'model_tier', 'executions', 'success_rate', 'avg_duration'],
    },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT task_type, model_tier, ${M.executions} AS executions, ${M.successPct} AS success_rate,
         ${M.avgDuration} AS avg_duration FROM facts GROUP BY task_type, model_tier ORDER BY task_type, model_tier`,
        f.values,
      )
    },
  },
]
