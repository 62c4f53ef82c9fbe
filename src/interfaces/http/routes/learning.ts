import { z } from 'zod'
import { invalidInput } from '../../../errors.js'
import { evaluatePolicies } from '../../../learning/evaluate-policies.js'
import { listFeedback } from '../../../learning/feedback-queries.js'
import { FeedbackInputSchema } from '../../../learning/feedback-schema.js'
import { recommendRoute } from '../../../learning/recommend-route.js'
import { RecommendRouteInputSchema } from '../../../learning/recommend-schema.js'
import { recordFeedback } from '../../../learning/record-feedback.js'
import { getRoutingCalibration } from '../../../learning/routing-calibration.js'
import type { App, RouteContext } from '../context.js'
import { sendJson } from '../json.js'
import { ErrorBodySchema } from '../openapi.js'
import { parseQuery, readJsonBody } from '../request.js'

const positive = (what: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `must be a positive number`)
    .transform(Number)
    .refine((n) => n > 0, 'must be > 0')
    .optional()
    .describe(what)

const FeedbackQuerySchema = z.strictObject({
  task_id: z.string().describe('The task whose feedback to list'),
})
const EvaluationQuerySchema = z.strictObject({
  days: positive('Decisions of the last N days (default 30)'),
  policies: z.string().optional().describe('Comma-separated: always-<tier>, static_rule, greedy, logged'),
})
const CalibrationQuerySchema = z.strictObject({ days: positive('Decisions of the last N days (default 30)') })

/** Learning endpoints: recommendations, feedback, policy evaluation and calibration. */
export function registerLearningRoutes(app: App, ctx: RouteContext): void {
  app.post('/v1/recommendations', async (c) => {
    const body = await readJsonBody(c)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidInput('request body must be one JSON object (the task, with optional "options")')
    }
    const { options, ...task } = body as Record<string, unknown>
    const r = await recommendRoute(ctx.store, task as never, (options ?? {}) as never)
    return sendJson(c, r, 201)
  })
  ctx.openapi.add({
    method: 'post',
    path: '/v1/recommendations',
    summary: 'Recommend a model tier and pool for a task; the decision is logged with its propensity',
    description:
      'Record the execution later with the returned task_id so that its outcome joins the decision. ' +
      'options.policy: mode (cheapest_within_tolerance, max_utility, quality_target), quality_tolerance (default 0.02), ' +
      'value_per_success, quality_target (default 0.97), max_cost, explore (default true).',
    tags: ['learning'],
    body: RecommendRouteInputSchema,
    responses: { 201: { description: 'The recommendation with every option and the explanation' } },
  })

  app.post('/v1/feedback', async (c) =>
    sendJson(c, await recordFeedback(ctx.store, (await readJsonBody(c)) as never), 201),
  )
  ctx.openapi.add({
    method: 'post',
    path: '/v1/feedback',
    summary: 'Record user feedback on a task (private by default; rate-limited per task and user)',
    tags: ['learning'],
    body: FeedbackInputSchema,
    responses: {
      201: {
        description: "Stored; status 'pending_execution' when the task was routed but has not reported yet",
      },
      404: { description: 'No execution and no routing decision with this task_id', schema: ErrorBodySchema },
      409: {
        description: 'Duplicate feedback (one per task and user per minute, five in all)',
        schema: ErrorBodySchema,
      },
    },
  })

  app.get('/v1/feedback', async (c) => {
    const q = parseQuery(c, FeedbackQuerySchema)
    return sendJson(c, await listFeedback(ctx.store, { task_id: q.task_id }))
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/feedback',
    summary: 'The feedback history of one task',
    tags: ['learning'],
    query: FeedbackQuerySchema,
    responses: { 200: { description: 'Feedback rows, oldest first' } },
  })

  app.get('/v1/learning/evaluation', async (c) => {
    const q = parseQuery(c, EvaluationQuerySchema)
    const policies = q.policies?.split(',').map((p) => p.trim())
    return sendJson(c, await evaluatePolicies(ctx.store, { days: q.days, ...(policies ? { policies } : {}) }))
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/learning/evaluation',
    summary:
      'Off-policy estimates (IPS, SNIPS with ESS and 95 % interval, doubly robust with its interval) of routing policies from the decision log',
    tags: ['learning'],
    query: EvaluationQuerySchema,
    responses: {
      200: { description: 'One estimate per policy; insufficient_data where the log cannot support one' },
    },
  })

  app.get('/v1/learning/calibration', async (c) => {
    const q = parseQuery(c, CalibrationQuerySchema)
    return sendJson(c, await getRoutingCalibration(ctx.store, { days: q.days }))
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/learning/calibration',
    summary: 'Predicted vs actual: reliability curve, Brier score, cost error, tier share per day',
    tags: ['learning'],
    query: CalibrationQuerySchema,
    responses: { 200: { description: 'The calibration report' } },
  })
}
