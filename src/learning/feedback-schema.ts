import { z } from 'zod'
import { invalidInput } from '../errors.js'
import { describeZodIssue } from './recommend-schema.js'

/** Longest accepted feedback comment, in characters. */
export const MAX_COMMENT_LENGTH = 2000
/** Minimum seconds between two feedbacks of one user (or of anonymous users) on one task. */
export const FEEDBACK_COOLDOWN_SECONDS = 60
/** Most feedbacks one user (or anonymous users together) may leave on one task. */
export const MAX_FEEDBACK_PER_TASK_USER = 5

/** User feedback on one task, as the faces receive it. */
export const FeedbackInputSchema = z.strictObject({
  task_id: z.uuid().transform((s) => s.toLowerCase()),
  satisfaction: z.enum(['excellent', 'good', 'fair', 'poor']).optional(),
  rating: z.number().int().min(1).max(5).optional(),
  accepted: z.boolean().optional(),
  issue_type: z.enum(['wrong_model', 'too_slow', 'poor_quality', 'other']).optional(),
  comment: z.string().max(MAX_COMMENT_LENGTH).optional(),
  user_id: z
    .string()
    .max(200)
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .optional(),
  visibility: z.enum(['private', 'team', 'public']).default('private'),
  // The original's three yes/no questions (ContextualRating); any of them sets satisfaction.
  model_appropriate: z.boolean().optional(),
  speed_acceptable: z.boolean().optional(),
  expectations_met: z.boolean().optional(),
})

/** Feedback input (optional fields may be omitted). */
export type FeedbackInput = z.input<typeof FeedbackInputSchema>
/** Validated feedback with defaults applied. */
export type Feedback = z.output<typeof FeedbackInputSchema>

const SATISFACTION_BY_YES_COUNT = ['poor', 'fair', 'good', 'excellent'] as const
// Which issue a 'no' to each question names, in the order the original asked them.
const ISSUE_OF_NO = [
  ['model_appropriate', 'wrong_model'],
  ['speed_acceptable', 'too_slow'],
  ['expectations_met', 'poor_quality'],
] as const

/**
 * The original's ContextualRating: the number of questions answered yes gives the satisfaction (3 excellent,
 * 2 good, 1 fair, 0 poor; an unanswered question counts as no). A fair or poor answer without an issue_type
 * takes it from the first question answered no.
 */
function applyContextualRating(f: Feedback): Feedback {
  const answers = ISSUE_OF_NO.map(([question]) => f[question])
  if (answers.every((a) => a === undefined)) return f
  if (f.satisfaction !== undefined)
    throw invalidInput(
      'satisfaction must not be given together with model_appropriate, speed_acceptable or expectations_met (they set it)',
    )
  const satisfaction = SATISFACTION_BY_YES_COUNT[answers.filter((a) => a === true).length]!
  const firstNo = ISSUE_OF_NO.find(([question]) => f[question] !== true)
  const inferIssue = (satisfaction === 'fair' || satisfaction === 'poor') && f.issue_type === undefined
  return { ...f, satisfaction, ...(inferIssue && firstNo ? { issue_type: firstNo[1] } : {}) }
}

/**
 * Validate feedback: the schema, then the cross-field rules (something to say; issue_type for fair/poor;
 * a comment for 'other'). Throws LearningError('invalid_input') naming the field and rule.
 */
export function parseFeedback(input: unknown): Feedback {
  const parsed = FeedbackInputSchema.safeParse(input, { reportInput: true })
  if (!parsed.success)
    throw invalidInput(
      describeZodIssue(parsed.error).replace(/^rating must be (>=|<=) \d/, 'rating must be between 1 and 5'),
    )
  const f = applyContextualRating(parsed.data)
  const says = [f.satisfaction, f.rating, f.accepted, f.issue_type, f.comment].some((v) => v !== undefined)
  if (!says)
    throw invalidInput('feedback needs at least one of satisfaction, rating, accepted, issue_type, comment')
  if ((f.satisfaction === 'fair' || f.satisfaction === 'poor') && f.issue_type === undefined) {
    throw invalidInput(`issue_type is required when satisfaction is '${f.satisfaction}'`)
  }
  if (f.issue_type === 'other' && (f.comment === undefined || f.comment.trim().length === 0)) {
    throw invalidInput("comment is required when issue_type is 'other'")
  }
  return f
}
