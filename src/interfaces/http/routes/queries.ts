import { z } from 'zod'
import { QueryParamsSchema } from '../../../analytics/query-params.js'
import { listQueries, runQuery } from '../../../analytics/query-registry.js'
import type { App, RouteContext } from '../context.js'
import { sendJson } from '../json.js'
import { ErrorBodySchema } from '../openapi.js'

const QueryInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  params: z.array(z.string()),
  result: z.object({ kind: z.enum(['rows', 'stat', 'series']), columns: z.array(z.string()) }),
  panel: z.enum(['stat', 'timeseries', 'bargauge', 'donut', 'table', 'gauge', 'heatmap']).optional(),
})

const QueryResultSchema = z.object({
  name: z.string(),
  params: z.record(z.string(), z.string()),
  rows: z.array(z.record(z.string(), z.unknown())),
  generated_at: z.string(),
  source: z.enum(['rollup', 'raw']),
})

/** `GET /v1/queries` (the named query library) and `GET /v1/queries/:name` (run one). */
export function registerQueryRoutes(app: App, ctx: RouteContext): void {
  app.get('/v1/queries', (c) => {
    const queries = listQueries()
    return c.json({ queries, count: queries.length })
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/queries',
    summary: 'The named queries: name, title, description, accepted parameters, result columns, panel kind',
    tags: ['analytics'],
    responses: {
      200: {
        description: 'Query list',
        schema: z.object({ queries: z.array(QueryInfoSchema), count: z.number() }),
      },
    },
  })

  // Parameters go to the library untouched: it validates them against the allow-lists and the query's own set.
  app.get('/v1/queries/:name', async (c) =>
    sendJson(c, await runQuery(ctx.store, c.req.param('name'), c.req.query())),
  )
  ctx.openapi.add({
    method: 'get',
    path: '/v1/queries/:name',
    summary: 'Run one named query',
    description:
      'range is one of 1h, 24h, 7d, 30d, 90d (or give since/until as ISO 8601); filters repo, model_tier, pool_type, ' +
      'task_type; bucket hour|day|week for series. Parameters a query does not accept are refused with 400.',
    tags: ['analytics'],
    query: QueryParamsSchema,
    responses: {
      200: { description: 'Rows of the query', schema: QueryResultSchema },
      404: { description: 'Unknown query name', schema: ErrorBodySchema },
    },
  })
}
