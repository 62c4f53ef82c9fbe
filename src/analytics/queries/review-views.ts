import {
  SolutionPatternSums,
  solutionPartsByDaySql,
  solutionPatternsSql,
} from '../../search/solution-patterns.js'
import type { QueryDefinition } from '../query-types.js'
import { M } from './measures.js'

/** The review's solution_patterns view: summaries used at least this often per repo, this many rows. */
const PATTERN_MIN_USAGE = 5
const PATTERN_LIMIT = 50

const P95 = `list_aggregate(list_transform(flatten(list(durations)), x -> x::DECIMAL(18,6)::DOUBLE), 'quantile_cont', 0.95)`

/** The review's three views as named queries over any window, with the views' row shapes. */
export const REVIEW_VIEW_QUERIES: readonly QueryDefinition[] = [
  {
    name: 'tier_performance',
    title: 'Tier performance',
    description:
      'tier_performance_mv: per repo, model tier, task type and day: counts, means and exact p95 duration (default 30 days).',
    defaultWindow: '30d',
    panel: 'table',
    dayColumn: 'date',
    result: {
      kind: 'rows',
      columns: [
        'repo',
        'model_tier',
        'task_type',
        'date',
        'total_executions',
        'successful_count',
        'avg_duration',
        'avg_cost',
        'avg_quality',
        'p95_duration',
      ],
    },
    run: (ctx) => {
      const f = ctx.facts('day')
      return ctx.rows(
        `WITH ${f.cte} SELECT repo, model_tier, task_type, day::TIMESTAMP AS date, ${M.executions} AS total_executions,
           ${M.successes} AS successful_count, ${M.avgDuration} AS avg_duration, ${M.avgCost} AS avg_cost,
           ${M.avgQuality} AS avg_quality, ${P95} AS p95_duration
         FROM facts GROUP BY repo, model_tier, task_type, day ORDER BY date DESC, repo, model_tier, task_type`,
        f.values,
      )
    },
  },
  {
    name: 'pool_performance_hourly',
    title: 'Pool performance by hour',
    description:
      'pool_performance_mv: per pool, repo and hour: tasks, successes, means and success rate as a fraction (default 7 days).',
    defaultWindow: '7d',
    panel: 'table',
    result: {
      kind: 'rows',
      columns: [
        'pool_type',
        'repo',
        'hour',
        'total_tasks',
        'successful_tasks',
        'avg_duration',
        'avg_cost',
        'success_rate',
      ],
    },
    run: (ctx) => {
      const f = ctx.facts('hour')
      return ctx.rows(
        `WITH ${f.cte} SELECT pool_type, repo, hour, ${M.executions} AS total_tasks, ${M.successes} AS successful_tasks,
           ${M.avgDuration} AS avg_duration, ${M.avgCost} AS avg_cost, ${M.successRate} AS success_rate
         FROM facts GROUP BY pool_type, repo, hour ORDER BY hour DESC, pool_type, repo`,
        f.values,
      )
    },
  },
  {
    name: 'solution_patterns',
    title: 'Solution patterns',
    description:
      'solution_patterns_mv: solution summaries used at least 5 times per repo, by success rate then quality (top 50; default 90 days).',
    defaultWindow: '90d',
    panel: 'table',
    result: {
      kind: 'rows',
      columns: [
        'solution_summary',
        'repo',
        'task_types',
        'usage_count',
        'success_count',
        'avg_quality',
        'first_seen',
        'last_seen',
        'success_rate',
      ],
    },
    // With rollups on, whole days' partial sums are kept (the day cache), and so are the combined sums of the
    // reused days: a query adds only the window's edges and changed days. Days with more than 5,000 distinct
    // (summary, repo, task type) are not kept: free-text summaries would make the cache as large as the table.
    run: async (ctx) => {
      if (!ctx.rawByDay)
        return ctx.rows(
          solutionPatternsSql(`true ${ctx.rawWhere}`, String(PATTERN_MIN_USAGE), String(PATTERN_LIMIT)),
          ctx.rawValues,
        )
      const days = await ctx.rawByDay(solutionPartsByDaySql, 5_000)
      const sums = days.derived((reused) => new SolutionPatternSums().add(reused))
      return sums.clone().add(days.computed).rows(PATTERN_MIN_USAGE, PATTERN_LIMIT)
    },
  },
]
