import { z } from 'zod'
import { FeedbackInputSchema } from '../../../learning/feedback-schema.js'
import { recommendRoute } from '../../../learning/recommend-route.js'
import { RecommendRouteInputSchema } from '../../../learning/recommend-schema.js'
import { type FeedbackResult, recordFeedback } from '../../../learning/record-feedback.js'
import { defineTool } from '../tool.js'

const OptionSchema = z.looseObject({
  model_tier: z.string(),
  pool_type: z.string(),
  predicted_success: z.number(),
})

/** `recommend_route`: the model tier and pool to run a task on, with every option's prediction. */
export const recommendRouteTool = defineTool({
  name: 'recommend_route',
  title: 'Recommend a model tier and pool',
  description:
    'Before running a task, ask which model tier and pool to use: give task_type, task_description, repo ' +
    '(and complexity_score 0-100, estimated_tokens, file_count when known). Returns the chosen option with its ' +
    'predicted success, cost and duration, every option considered, and an explanation. The decision is ' +
    'logged: record the execution later with the returned task_id so that its outcome teaches the router. ' +
    'options.candidates limits the tiers/pools (unknown ones are refused); options.policy sets the trade-off: ' +
    "mode 'cheapest_within_tolerance' (default), 'max_utility' (value_per_success) or 'quality_target' " +
    "(quality_target, default 0.97, of the strongest options' success on average at the least cost).",
  scope: 'read',
  input: RecommendRouteInputSchema,
  output: z.looseObject({
    decision_id: z.string(),
    task_id: z.string(),
    chosen: OptionSchema,
    options: z.array(OptionSchema),
    policy: z.looseObject({}),
    propensity: z.number(),
    tier_probabilities: z.record(z.string(), z.number()),
    greedy: z.object({ model_tier: z.string(), pool_type: z.string() }),
    static_rule_tier: z.string(),
    cold_start: z.boolean(),
    explanation: z.string(),
    model_version: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  run: (store, { options, ...task }) => recommendRoute(store, task, options ?? {}),
})

/** `submit_feedback`: a user's verdict on a finished task, fed to the router. */
export const submitFeedbackTool = defineTool({
  name: 'submit_feedback',
  title: 'Submit feedback on a task',
  description:
    'Record what the user thought of a finished task (by its task_id): satisfaction excellent|good|fair|poor ' +
    '(fair and poor need issue_type wrong_model|too_slow|poor_quality|other; other needs a comment), rating ' +
    '1-5, accepted, comment (at most 2000 characters), user_id, visibility private|team|public (default ' +
    'private). Instead of satisfaction, answer model_appropriate, speed_acceptable, expectations_met (true/false): ' +
    '3 yes = excellent, 2 good, 1 fair, 0 poor; a no names the issue_type. It updates the execution and teaches the router. One feedback per task and user per minute, five in all.',
  scope: 'write',
  input: FeedbackInputSchema,
  output: z.object({
    feedback_id: z.string(),
    task_id: z.string(),
    timestamp: z.string(),
    status: z.enum(['recorded', 'pending_execution']),
    satisfaction: z.string().nullable(),
    issue_type: z.string().nullable(),
    visibility: z.enum(['private', 'team', 'public']),
    message: z.string(),
    impact: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  run: async (store, input) => {
    const result = await recordFeedback(store, input)
    return {
      ...result,
      message: 'Thank you! Your feedback helps improve routing accuracy.',
      impact: impactOf(result),
    }
  },
})

/** The original's impact sentence: what this feedback does to routing. */
function impactOf(result: FeedbackResult): string {
  if (result.status === 'pending_execution')
    return 'Kept until the execution of this task is recorded; then it counts for its tier and pool.'
  if (result.satisfaction === 'excellent' || result.satisfaction === 'good')
    return 'This positive feedback reinforces current routing patterns.'
  if (result.issue_type === 'wrong_model')
    return "This feedback lowers the chosen tier's predicted success for similar tasks."
  return 'This feedback contributes to the learning patterns of this task type.'
}
