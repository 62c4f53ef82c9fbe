import { z } from 'zod'
import { invalidInput } from '../errors.js'
import { describeZodIssue } from '../learning/recommend-schema.js'
import { QueryParamsSchema, RANGES, type Range } from './query-params.js'

/** Input of `getExecutionStatistics` and `getPerformanceMetrics`: a time range from the allow-list and filters. */
export const StatisticsInputSchema = z.strictObject({
  time_range: z.enum(RANGES).default('7d').describe('Look-back window: 1h, 24h, 7d, 30d or 90d (default 7d)'),
  repo: QueryParamsSchema.shape.repo.describe('Only this repository'),
  model_tier: QueryParamsSchema.shape.model_tier.describe('Only this model tier'),
  pool_type: QueryParamsSchema.shape.pool_type.describe('Only this pool'),
  task_type: QueryParamsSchema.shape.task_type.describe('Only this task type'),
})

/** What a caller passes (every field optional). */
export type StatisticsInput = z.input<typeof StatisticsInputSchema>

/** Validated input: the range and the named-query parameters it stands for. */
export interface StatisticsParams {
  time_range: Range
  params: Record<string, string>
}

/** Validate statistics input; throws `invalid_input` naming the field, the rule and the value. */
export function parseStatisticsInput(input: unknown): StatisticsParams {
  const parsed = StatisticsInputSchema.safeParse(input ?? {}, { reportInput: true })
  if (!parsed.success) {
    throw invalidInput(describeZodIssue(parsed.error))
  }
  const { time_range, ...filters } = parsed.data
  const params: Record<string, string> = { range: time_range }
  for (const [k, v] of Object.entries(filters)) if (v !== undefined) params[k] = v
  return { time_range, params }
}

/** Rename a breakdown's `metric` column to the dimension it holds. */
export function renameMetric<K extends string>(
  rows: readonly Record<string, unknown>[],
  key: K,
): (Record<K, unknown> & Record<string, unknown>)[] {
  return rows.map(({ metric, ...rest }) => ({ [key]: metric, ...rest }) as Record<K, unknown>)
}

/** A number column of a row, or null. */
export function num(row: Record<string, unknown> | undefined, key: string): number | null {
  const v = row?.[key]
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}
