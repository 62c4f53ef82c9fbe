import { z } from 'zod'
import { MAX_NAME_LENGTH } from '../../../record.js'
import { findSimilar } from '../../../search/find-similar.js'
import { MAX_QUERY_LENGTH, type SimilarQuery, SimilarQuerySchema } from '../../../search/similar-query.js'
import type { App, RouteContext } from '../context.js'
import { sendJson } from '../json.js'
import { parseQuery, readJsonBody } from '../request.js'

const number = (what: string) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, `must be a number`)
    .transform(Number)
    .optional()
    .describe(what)

/** Query-string form of a similarity search (column names, as everywhere on the wire). */
const SimilarParamsSchema = z.strictObject({
  text: z.string().max(MAX_QUERY_LENGTH).describe('Task description to search for'),
  limit: number('Most rows returned (default 10, at most 1000)'),
  min_similarity: number('Lowest cosine similarity returned, -1..1 (default 0.7)'),
  repo: z.string().max(MAX_NAME_LENGTH).optional().describe('Only executions of this repository'),
  task_type: z.string().max(MAX_NAME_LENGTH).optional().describe('Only executions of this task type'),
  success_only: z.enum(['true', 'false']).optional().describe('Only successful executions'),
  days: number('Only executions of the last N days (default 90)'),
})

const SimilarResultSchema = z.object({
  results: z.array(
    z.object({
      task_id: z.string(),
      timestamp: z.string(),
      task_type: z.string(),
      repo: z.string(),
      model_tier: z.string(),
      pool_type: z.string(),
      success: z.boolean(),
      duration_seconds: z.number(),
      quality_score: z.number().nullable(),
      task_description: z.string(),
      solution_summary: z.string().nullable(),
      similarity: z.number(),
    }),
  ),
  count: z.number().int(),
})

/** `GET /v1/similar?text=...` and `POST /v1/similar` (text or a 384-float embedding): similar past executions. */
export function registerSimilarRoutes(app: App, ctx: RouteContext): void {
  app.get('/v1/similar', async (c) => {
    const p = parseQuery(c, SimilarParamsSchema)
    const query: SimilarQuery = { text: p.text }
    if (p.limit !== undefined) query.limit = p.limit
    if (p.min_similarity !== undefined) query.minSimilarity = p.min_similarity
    if (p.repo !== undefined) query.repo = p.repo
    if (p.task_type !== undefined) query.taskType = p.task_type
    if (p.success_only !== undefined) query.successOnly = p.success_only === 'true'
    if (p.days !== undefined) query.days = p.days
    const results = await findSimilar(ctx.store, query)
    return sendJson(c, { results, count: results.length })
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/similar',
    summary: 'Past executions most similar to a task description, most similar first',
    tags: ['search'],
    query: SimilarParamsSchema,
    responses: { 200: { description: 'Similar executions', schema: SimilarResultSchema } },
  })

  app.post('/v1/similar', async (c) => {
    const results = await findSimilar(ctx.store, (await readJsonBody(c)) as SimilarQuery)
    return sendJson(c, { results, count: results.length })
  })
  ctx.openapi.add({
    method: 'post',
    path: '/v1/similar',
    summary: 'Similarity search with a JSON body: text or a 384-dimension embedding, and filters',
    tags: ['search'],
    body: SimilarQuerySchema,
    responses: { 200: { description: 'Similar executions', schema: SimilarResultSchema } },
  })
}
