import { z } from 'zod'
import { invalidInput } from '../../../errors.js'
import { getExecution } from '../../../ingest/get-execution.js'
import { recordExecutions } from '../../../ingest/record-executions.js'
import { ExecutionSchema } from '../../../record.js'
import type { App, RouteContext } from '../context.js'
import { sendJson } from '../json.js'
import { ErrorBodySchema } from '../openapi.js'
import { parseQuery, readJsonBody } from '../request.js'

/** Most records one POST may carry (the body limit usually binds first). */
export const MAX_RECORDS_PER_REQUEST = 10_000

const RecordResultSchema = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), task_id: z.string().optional(), error: z.string() })),
  task_ids: z.array(z.string()),
})

const GetQuerySchema = z.strictObject({
  include_embedding: z
    .enum(['true', 'false'])
    .optional()
    .describe('Return the 384-dimension embedding too (default false)'),
})

/** `POST /v1/executions` (one record or an array) and `GET /v1/executions/:task_id`. */
export function registerExecutionRoutes(app: App, ctx: RouteContext): void {
  app.post('/v1/executions', async (c) => {
    const body = await readJsonBody(c)
    const records = Array.isArray(body) ? body : [body]
    if (records.length === 0) throw invalidInput('request body is an empty array; send at least one record')
    if (records.length > MAX_RECORDS_PER_REQUEST) {
      throw invalidInput(
        `request carries ${records.length} records; at most ${MAX_RECORDS_PER_REQUEST} per request`,
      )
    }
    const result = await recordExecutions(ctx.store, records, { whenFull: 'reject' })
    ctx.metrics.countIngest(result)
    if (result.inserted + result.updated === 0) {
      const first = result.rejected[0]
      throw invalidInput(
        `no valid record: ${records.length === 1 ? '' : `record ${first?.index}: `}${first?.error ?? 'rejected'}`,
        { rejected: result.rejected },
      )
    }
    return sendJson(c, result, 201)
  })
  ctx.openapi.add({
    method: 'post',
    path: '/v1/executions',
    summary: 'Record one execution or an array of executions; acknowledged after COMMIT',
    description:
      'A record whose task_id exists replaces that row (counted as updated). Invalid records are rejected one by one; ' +
      'when none is valid the answer is 400 with the per-record errors in error.details.rejected.',
    tags: ['executions'],
    body: z.union([ExecutionSchema, z.array(ExecutionSchema)]),
    responses: {
      201: { description: 'Stored (some records may be rejected: see rejected)', schema: RecordResultSchema },
      413: { description: 'Body over the size limit', schema: ErrorBodySchema },
      503: { description: 'Write queue full; retry after the Retry-After header', schema: ErrorBodySchema },
    },
  })

  app.get('/v1/executions/:task_id', async (c) => {
    const query = parseQuery(c, GetQuerySchema)
    const execution = await getExecution(ctx.store, c.req.param('task_id'), {
      includeEmbedding: query.include_embedding === 'true',
    })
    return sendJson(c, execution)
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/executions/:task_id',
    summary: 'One stored execution by task_id',
    tags: ['executions'],
    query: GetQuerySchema,
    responses: {
      200: { description: 'The execution (field names are the column names)', schema: ExecutionSchema },
      404: { description: 'No execution with this task_id', schema: ErrorBodySchema },
    },
  })
}
