/**
 * FLOAT columns are summed as DECIMAL(18,6) (micro-units): sums are exact, so rollup and raw answers agree
 * to the last digit whatever the order of addition, and 0.025 stays 0.025 instead of 0.0250000003725.
 * The measures every rollup row keeps, as aggregates over raw `executions` rows.
 * The same expressions fill the rollup tables and aggregate the raw edges of a window, so the two always agree.
 */
export const MEASURES: readonly (readonly [name: string, type: string, aggregate: string])[] = [
  ['executions', 'BIGINT', 'count(*)'],
  ['successes', 'BIGINT', 'count(*) FILTER (WHERE success)'],
  ['errors', 'BIGINT', 'count(error_type)'],
  ['duration_sum', 'DECIMAL(38,6)', 'sum(duration_seconds::DECIMAL(18,6))'],
  ['durations', 'FLOAT[]', 'list(duration_seconds)'],
  ['cost_sum', 'DECIMAL(38,6)', 'sum(actual_cost::DECIMAL(18,6))'],
  ['estimate_sum', 'DECIMAL(38,6)', 'sum(cost_estimate::DECIMAL(18,6))'],
  ['cost_error_pct_sum', 'DECIMAL(38,6)', 'coalesce(sum(cost_error_pct::DECIMAL(18,6)), 0)'],
  ['cost_error_pct_n', 'BIGINT', 'count(cost_error_pct)'],
  ['quality_sum', 'BIGINT', 'coalesce(sum(quality_score), 0)'],
  ['quality_n', 'BIGINT', 'count(quality_score)'],
  ['q_excellent', 'BIGINT', 'count(*) FILTER (WHERE quality_score >= 90)'],
  ['q_good', 'BIGINT', 'count(*) FILTER (WHERE quality_score >= 75 AND quality_score < 90)'],
  ['q_fair', 'BIGINT', 'count(*) FILTER (WHERE quality_score >= 60 AND quality_score < 75)'],
  ['q_poor', 'BIGINT', 'count(*) FILTER (WHERE quality_score < 60)'],
  ['confidence_sum', 'DECIMAL(38,6)', 'sum(routing_confidence::DECIMAL(18,6))'],
  ['accepted_n', 'BIGINT', 'count(*) FILTER (WHERE user_accepted)'],
  ['accepted_known', 'BIGINT', 'count(user_accepted)'],
  ['rating_sum', 'BIGINT', 'coalesce(sum(user_rating), 0)'],
  ['rating_n', 'BIGINT', 'count(user_rating)'],
  ['last_timestamp', 'TIMESTAMP', 'max(timestamp)'],
]

/** The grains of the rollup tables: the table, its time key and its dimensions. */
export const GRAINS = {
  day: {
    table: 'rollup_daily',
    time: 'day',
    timeType: 'DATE',
    timeExpr: 'timestamp::DATE',
    keys: ['repo', 'model_tier', 'task_type', 'pool_type'],
  },
  hour: {
    table: 'rollup_hourly',
    time: 'hour',
    timeType: 'TIMESTAMP',
    timeExpr: "date_trunc('hour', timestamp)",
    keys: ['repo', 'pool_type'],
  },
} as const

/** A rollup grain. */
export type Grain = keyof typeof GRAINS

/** `expr AS name, ...` for the measures: the aggregate list of a rollup. */
export const MEASURE_AGGREGATES = MEASURES.map(([name, type, agg]) => `(${agg})::${type} AS ${name}`).join(
  ', ',
)
/**
 * `merge(col) AS col, ...`: how two rollup rows of one group combine into one (counts and exact sums add,
 * duration lists concatenate, the last timestamp is the later one). Every measure is mergeable, so the rows
 * that folds append to a group can be compacted into one without going back to the raw rows.
 */
export const MEASURE_MERGES = MEASURES.map(([name, type]) =>
  type === 'FLOAT[]'
    ? `flatten(list(${name})) AS ${name}`
    : type === 'TIMESTAMP'
      ? `max(${name}) AS ${name}`
      : `sum(${name})::${type} AS ${name}`,
).join(', ')
/** The measure column names, comma-separated. */
export const MEASURE_COLUMNS = MEASURES.map(([name]) => name).join(', ')

function rollupTable(grain: Grain): string {
  const g = GRAINS[grain]
  const cols = [
    `${g.time} ${g.timeType} NOT NULL`,
    ...g.keys.map((k) => `${k} VARCHAR NOT NULL`),
    ...MEASURES.map(([name, type]) => `${name} ${type}`),
  ]
  return `CREATE TABLE IF NOT EXISTS ${g.table} (${cols.join(', ')})`
}

/** The review's three views, by their names, computed from the raw table on every read (as in the review). */
export const REVIEW_VIEWS: readonly string[] = [
  `CREATE OR REPLACE VIEW tier_performance_mv AS
   SELECT repo, model_tier, task_type, date_trunc('day', timestamp) AS date,
          count(*) AS total_executions,
          sum(CASE WHEN success THEN 1 ELSE 0 END) AS successful_count,
          avg(duration_seconds) AS avg_duration, avg(actual_cost) AS avg_cost, avg(quality_score) AS avg_quality,
          quantile_cont(duration_seconds, 0.95) AS p95_duration
   FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 30 DAY
   GROUP BY repo, model_tier, task_type, date_trunc('day', timestamp)`,
  `CREATE OR REPLACE VIEW pool_performance_mv AS
   SELECT pool_type, repo, date_trunc('hour', timestamp) AS hour,
          count(*) AS total_tasks,
          sum(CASE WHEN success THEN 1 ELSE 0 END) AS successful_tasks,
          avg(duration_seconds) AS avg_duration, avg(actual_cost) AS avg_cost,
          sum(CASE WHEN success THEN 1 ELSE 0 END)::DOUBLE / count(*) AS success_rate
   FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY
   GROUP BY pool_type, repo, date_trunc('hour', timestamp)`,
  `CREATE OR REPLACE VIEW solution_patterns_mv AS
   SELECT solution_summary, repo, array_agg(DISTINCT task_type ORDER BY task_type) AS task_types,
          count(*) AS usage_count,
          sum(CASE WHEN success THEN 1 ELSE 0 END) AS success_count,
          avg(quality_score) AS avg_quality, min(timestamp) AS first_seen, max(timestamp) AS last_seen,
          sum(CASE WHEN success THEN 1 ELSE 0 END)::DOUBLE / count(*) AS success_rate
   FROM executions
   WHERE solution_summary IS NOT NULL AND timestamp >= now()::TIMESTAMP - INTERVAL 90 DAY
   GROUP BY solution_summary, repo
   HAVING count(*) >= 5`,
]

/** Migration 3: rollup tables (day × repo × tier × task type × pool; hour × repo × pool), their ledger, the views. */
export const ANALYTICS_MIGRATION = {
  version: 3,
  name: 'analytics rollups and the review views',
  statements: [
    rollupTable('day'),
    rollupTable('hour'),
    // One row per materialised day: the raw row count it was built from (a moved-out or deleted row changes it).
    `CREATE TABLE IF NOT EXISTS rollup_days (
       day DATE PRIMARY KEY, executions BIGINT NOT NULL, refreshed_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP)`,
    ...REVIEW_VIEWS,
  ],
} as const
