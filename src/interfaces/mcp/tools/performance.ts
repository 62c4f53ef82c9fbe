import { z } from 'zod'
import { dataQualityReport } from '../../../analytics/data-quality.js'
import { QueryParamsSchema } from '../../../analytics/query-params.js'
import { getPoolPerformance, getTierPerformance } from '../../../analytics/review-performance.js'
import { defineTool } from '../tool.js'

const n = z.number().nullable()
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const

const performanceInput = (defaultDays: number) =>
  z.strictObject({
    repo: QueryParamsSchema.shape.repo.describe('Only this repository'),
    days: z
      .number()
      .int()
      .min(1)
      .max(3660)
      .optional()
      .describe(`Look back this many days (default ${defaultDays})`),
  })

/** `data_quality_report`: data-quality checks over the stored executions and one overall score. */
export const dataQualityTool = defineTool({
  name: 'data_quality_report',
  title: 'Data quality report',
  description:
    'Check the stored data: NULLs in critical fields, duplicate task ids, future timestamps, out-of-range ' +
    'values (legacy imports), failures without an error type, feedback without its execution, embedding ' +
    'coverage. Returns each check with its severity and affected rows, and an overall score 0-100 with its formula.',
  scope: 'read',
  input: z.object({}),
  output: z.object({
    generated_at: z.string(),
    rows: z.number(),
    feedback_rows: z.number(),
    checks: z.array(
      z.object({
        name: z.string(),
        severity: z.enum(['critical', 'warning', 'info']),
        description: z.string(),
        affected: z.number(),
        details: z.record(z.string(), z.number()).optional(),
      }),
    ),
    embedding_coverage: z.number(),
    score: z.number(),
    formula: z.string(),
  }),
  annotations: READ_ONLY,
  run: (store) => dataQualityReport(store),
})

/** `get_tier_performance`: per repo, model tier, task type and day. */
export const tierPerformanceTool = defineTool({
  name: 'get_tier_performance',
  title: 'Model tier performance',
  description:
    'Which model tier works for which kind of task: one row per repo, model tier, task type and day (UTC) ' +
    'over the last days (default 30) with executions, successes, mean and p95 duration (s), mean cost (USD) ' +
    'and mean quality. Filter by repo.',
  scope: 'read',
  input: performanceInput(30),
  output: z.object({
    rows: z.array(
      z.object({
        repo: z.string(),
        model_tier: z.string(),
        task_type: z.string(),
        date: z.string(),
        total_executions: z.number(),
        successful_count: z.number(),
        avg_duration: n,
        avg_cost: n,
        avg_quality: n,
        p95_duration: n,
      }),
    ),
  }),
  annotations: READ_ONLY,
  run: async (store, input) => ({ rows: await getTierPerformance(store, input) }),
})

/** `get_pool_performance`: per pool, repo and hour. */
export const poolPerformanceTool = defineTool({
  name: 'get_pool_performance',
  title: 'Pool performance',
  description:
    'How each worker pool performs: one row per pool, repo and hour (UTC) over the last days (default 7) ' +
    'with tasks, successes, success rate (fraction 0-1), mean duration (s) and mean cost (USD). Filter by repo.',
  scope: 'read',
  input: performanceInput(7),
  output: z.object({
    rows: z.array(
      z.object({
        pool_type: z.string(),
        repo: z.string(),
        hour: z.string(),
        total_tasks: z.number(),
        successful_tasks: z.number(),
        avg_duration: n,
        avg_cost: n,
        success_rate: n,
      }),
    ),
  }),
  annotations: READ_ONLY,
  run: async (store, input) => ({ rows: await getPoolPerformance(store, input) }),
})
