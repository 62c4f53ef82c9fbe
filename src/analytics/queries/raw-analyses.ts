import type { QueryDefinition } from '../query-types.js'

/**
 * The band edges of `cost_calibration` (USD, half decades). Fixed bands instead of ten equal-count bins: they
 * mean the same in every window, and grouping by band costs one pass (29 ms for 30 days of a 1M-row table,
 * against ~70 ms for the sort behind `ntile(10)`).
 */
const COST_BAND_EDGES = ['0.0001', '0.0003', '0.001', '0.003', '0.01', '0.03', '0.1', '0.3', '1', '3', '10']
const COST_BANDS = COST_BAND_EDGES.map((edge, i) =>
  i === 0 ? `< ${edge}` : `${COST_BAND_EDGES[i - 1]}-${edge}`,
).concat(`>= ${COST_BAND_EDGES.at(-1)}`)

/** Analyses that need row-level values the rollups do not keep; they scan `executions` in the window. */
export const RAW_QUERIES: readonly QueryDefinition[] = [
  {
    name: 'cost_error_distribution',
    title: 'Cost estimate error distribution',
    description:
      "Executions per band of cost_error_pct (|actual - estimate| / estimate); 'no estimate' when it is 0 (default 30 days).",
    defaultWindow: '30d',
    panel: 'bargauge',
    result: { kind: 'rows', columns: ['metric', 'value'] },
    run: (ctx) =>
      ctx.rows(
        `WITH e AS (SELECT CASE WHEN cost_error_pct IS NULL THEN 6 WHEN cost_error_pct < 5 THEN 1
                  WHEN cost_error_pct < 10 THEN 2 WHEN cost_error_pct < 25 THEN 3 WHEN cost_error_pct < 50 THEN 4
                  ELSE 5 END AS o FROM executions WHERE true ${ctx.rawWhere}),
         c AS (SELECT o, count(*) AS n FROM e GROUP BY o),
         b(o, metric) AS (VALUES (1, '< 5 %'), (2, '5-10 %'), (3, '10-25 %'), (4, '25-50 %'), (5, '>= 50 %'), (6, 'no estimate'))
         SELECT metric, coalesce(n, 0)::BIGINT AS value FROM b LEFT JOIN c USING (o) ORDER BY o`,
        ctx.rawValues,
      ),
  },
  {
    name: 'cost_calibration',
    title: 'Cost estimate calibration',
    description:
      'Executions per band of cost_estimate (half decades: < 0.0001, 0.0001-0.0003, ..., >= 10): mean estimate vs mean actual cost and their ratio (default 30 days). The bands are the same for every window and filter, so periods compare band by band.',
    defaultWindow: '30d',
    panel: 'table',
    result: { kind: 'rows', columns: ['bin', 'band', 'executions', 'avg_estimate', 'avg_actual', 'ratio'] },
    run: (ctx) =>
      ctx.rows(
        // Estimates are compared as DECIMAL(18,6): a FLOAT 0.0001 is 0.0000999999975 and would fall a band low.
        `WITH e AS (SELECT cost_estimate::DECIMAL(18,6) AS est, actual_cost::DECIMAL(18,6) AS act
                    FROM executions WHERE true ${ctx.rawWhere}),
         b AS (SELECT CASE ${COST_BAND_EDGES.map((edge, i) => `WHEN est < ${edge} THEN ${i + 1}`).join(' ')}
                 ELSE ${COST_BAND_EDGES.length + 1} END AS bin, est, act FROM e),
         g AS (SELECT bin, count(*)::BIGINT AS executions, avg(est)::DOUBLE AS avg_estimate,
                 avg(act)::DOUBLE AS avg_actual, (sum(act) / nullif(sum(est), 0))::DOUBLE AS ratio FROM b GROUP BY bin),
         l(bin, band) AS (VALUES ${COST_BANDS.map((band, i) => `(${i + 1}, '${band}')`).join(', ')})
         SELECT bin::BIGINT AS bin, band, executions, avg_estimate, avg_actual, ratio FROM g JOIN l USING (bin) ORDER BY bin`,
        ctx.rawValues,
      ),
  },
  {
    name: 'user_rating_distribution',
    title: 'User rating distribution',
    description: 'Executions per user rating 1-5 (default 30 days).',
    defaultWindow: '30d',
    panel: 'bargauge',
    result: { kind: 'rows', columns: ['metric', 'value'] },
    run: (ctx) =>
      ctx.rows(
        `SELECT r::VARCHAR AS metric, count(e.user_rating)::BIGINT AS value FROM range(1, 6) t(r)
         LEFT JOIN (SELECT user_rating FROM executions WHERE user_rating IS NOT NULL ${ctx.rawWhere}) e ON e.user_rating = r
         GROUP BY r ORDER BY r`,
        ctx.rawValues,
      ),
  },
  {
    name: 'resource_percentiles',
    title: 'Resource use percentiles',
    description:
      'Samples, mean, p50, p95, p99 of peak_memory_mb and cpu_time_seconds where recorded (default 7 days).',
    defaultWindow: '7d',
    panel: 'table',
    result: { kind: 'rows', columns: ['metric', 'samples', 'avg', 'p50', 'p95', 'p99'] },
    run: (ctx) =>
      ctx.rows(
        `WITH e AS (SELECT peak_memory_mb::DECIMAL(18,6)::DOUBLE AS mem, cpu_time_seconds::DECIMAL(18,6)::DOUBLE AS cpu
                    FROM executions WHERE true ${ctx.rawWhere})
         SELECT 'peak_memory_mb' AS metric, count(mem)::BIGINT AS samples, avg(mem) AS avg, quantile_cont(mem, 0.5) AS p50,
           quantile_cont(mem, 0.95) AS p95, quantile_cont(mem, 0.99) AS p99 FROM e
         UNION ALL
         SELECT 'cpu_time_seconds', count(cpu)::BIGINT, avg(cpu), quantile_cont(cpu, 0.5), quantile_cont(cpu, 0.95),
           quantile_cont(cpu, 0.99) FROM e`,
        ctx.rawValues,
      ),
  },
  {
    name: 'memory_duration_correlation',
    title: 'Memory vs duration',
    description:
      "Pearson correlation of peak_memory_mb with duration_seconds and the regression slope (seconds per MB), overall ('all') and per model tier (default 30 days).",
    defaultWindow: '30d',
    panel: 'table',
    result: { kind: 'rows', columns: ['metric', 'samples', 'correlation', 'seconds_per_mb'] },
    run: (ctx) =>
      ctx.rows(
        `WITH e AS (SELECT model_tier, peak_memory_mb::DOUBLE AS mem, duration_seconds::DOUBLE AS dur FROM executions
                    WHERE peak_memory_mb IS NOT NULL ${ctx.rawWhere})
         SELECT metric, samples, correlation, seconds_per_mb FROM (
           SELECT 0 AS o, 'all' AS metric, count(*)::BIGINT AS samples, corr(dur, mem) AS correlation,
             regr_slope(dur, mem) AS seconds_per_mb FROM e
           UNION ALL
           SELECT 1, model_tier, count(*)::BIGINT, corr(dur, mem), regr_slope(dur, mem) FROM e GROUP BY model_tier)
         ORDER BY o, metric`,
        ctx.rawValues,
      ),
  },
  {
    name: 'complexity_distribution',
    title: 'Complexity distribution',
    description:
      'Executions, success percent and mean duration per complexity_score band of 20 (default 30 days).',
    defaultWindow: '30d',
    panel: 'bargauge',
    result: { kind: 'rows', columns: ['metric', 'executions', 'success_rate', 'avg_duration'] },
    run: (ctx) =>
      ctx.rows(
        `WITH e AS (SELECT least(complexity_score // 20, 4) AS band, success, duration_seconds::DECIMAL(18,6) AS dur
                    FROM executions WHERE true ${ctx.rawWhere})
         SELECT (b * 20)::VARCHAR || '-' || CASE WHEN b = 4 THEN '100' ELSE (b * 20 + 19)::VARCHAR END AS metric,
           count(e.band)::BIGINT AS executions, (count(*) FILTER (WHERE e.success))::DOUBLE * 100 / nullif(count(e.band), 0) AS success_rate,
           avg(e.dur)::DOUBLE AS avg_duration
         FROM range(0, 5) t(b) LEFT JOIN e ON e.band = b GROUP BY b ORDER BY b`,
        ctx.rawValues,
      ),
  },
]
