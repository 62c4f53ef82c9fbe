import { z } from 'zod'
import { RANGES } from '../../../analytics/query-params.js'
import { MAX_NAME_LENGTH } from '../../../record.js'
import type { App, RouteContext } from '../context.js'
import { loadDashboard } from '../dashboard/load-dashboard.js'
import { sendJson } from '../json.js'
import { parseQuery } from '../request.js'

const filter = z
  .string()
  .max(MAX_NAME_LENGTH)
  .refine((s) => s.trim().length > 0, 'must not be empty')
  .optional()

const DashboardQuerySchema = z.strictObject({
  range: z.enum(RANGES).default('24h').describe('Time range of every windowed panel (default 24h)'),
  repo: filter,
  model_tier: filter,
  pool_type: filter,
  task_type: filter,
})

/** `GET /v1/dashboard`: every panel of the web dashboard in one call (what the dashboard page loads). */
export function registerDashboardApiRoutes(app: App, ctx: RouteContext): void {
  app.get('/v1/dashboard', async (c) => {
    const params = parseQuery(c, DashboardQuerySchema)
    return sendJson(c, await loadDashboard(ctx.store, params))
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/dashboard',
    summary: 'Every dashboard panel (spec and rows) for one range and set of filters, in one call',
    tags: ['dashboard'],
    query: DashboardQuerySchema,
    responses: { 200: { description: 'Panels with their rows, filter values, record count' } },
  })
}
