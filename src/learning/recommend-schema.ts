import { z } from 'zod'
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../record.js'

const name = z
  .string()
  .max(MAX_NAME_LENGTH)
  .refine((s) => s.trim().length > 0, 'must not be empty')

/** The task a recommendation is for. */
export const RouteTaskSchema = z.strictObject({
  task_id: z
    .uuid()
    .transform((s) => s.toLowerCase())
    .optional(),
  task_type: name,
  task_description: z
    .string()
    .max(MAX_TEXT_LENGTH)
    .refine((s) => s.trim().length > 0, 'must not be empty'),
  repo: name,
  complexity_score: z.number().int().min(0).max(100).optional(),
  estimated_tokens: z.number().int().min(0).optional(),
  file_count: z.number().int().min(0).optional(),
})

/** Options of a recommendation: candidate tiers and pools, and the policy. */
export const RouteOptionsSchema = z.strictObject({
  candidates: z
    .strictObject({
      model_tiers: z.array(name).min(1, 'must not be empty').optional(),
      pool_types: z.array(name).min(1, 'must not be empty').optional(),
    })
    .optional(),
  policy: z
    .strictObject({
      mode: z.enum(['cheapest_within_tolerance', 'max_utility', 'quality_target']).optional(),
      quality_tolerance: z.number().min(0).max(1).optional(),
      value_per_success: z.number().min(0).refine(Number.isFinite, 'must be finite').optional(),
      quality_target: z.number().gt(0).max(1).optional(),
      max_cost: z.number().min(0).refine(Number.isFinite, 'must be finite').optional(),
      explore: z.boolean().optional(),
    })
    .optional(),
})

/** Input of `recommendRoute` as the faces receive it: the task plus `options`. */
export const RecommendRouteInputSchema = RouteTaskSchema.extend({ options: RouteOptionsSchema.optional() })

/** A task to route. */
export type RouteTask = z.input<typeof RouteTaskSchema>
/** Candidate and policy options of a recommendation. */
export type RouteOptions = z.input<typeof RouteOptionsSchema>

/** Render the first zod issue as "field rule, got value". */
export function describeZodIssue(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const field = prefix + (issue.path.length > 0 ? issue.path.map(String).join('.') : 'input')
      const got = 'input' in issue && issue.input !== undefined ? `, got ${JSON.stringify(issue.input)}` : ''
      if (issue.code === 'invalid_type' && issue.input === undefined) return `${field} is required`
      if (issue.code === 'too_small' && issue.origin === 'number')
        return `${field} must be ${issue.inclusive === false ? '>' : '>='} ${issue.minimum}${got}`
      if (issue.code === 'too_big' && issue.origin === 'number')
        return `${field} must be <= ${issue.maximum}${got}`
      if (issue.code === 'too_big' && issue.origin === 'string')
        return `${field} must be at most ${issue.maximum} characters, got ${String((issue.input as string)?.length)}`
      return `${field}: ${issue.message}${got}`
    })
    .join('; ')
}
