import { z } from 'zod'
import { listFilterValues } from '../../../analytics/filter-values.js'
import { RANGES } from '../../../analytics/query-params.js'
import { MAX_NAME_LENGTH } from '../../../record.js'
import type { App, RouteContext } from '../context.js'
import { loadDashboard } from '../dashboard/load-dashboard.js'
import { sendJson } from '../json.js'
import { parseQuery } from '../request.js'

// The pickers' values change rarely; a full scan per dashboard refresh is not worth it.
const FILTER_VALUES_TTL_MS = 60_000

function cachedFor<T>(ttlMs: number, read: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined
  return () => {
    if (!cached || Date.now() - cached.at > ttlMs) {
      const value = read()
      cached = { at: Date.now(), value }
      value.catch(() => {
        cached = undefined
      })
    }
    return cached.value
  }
}

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
  const filterValues = cachedFor(FILTER_VALUES_TTL_MS, () => listFilterValues(ctx.store))
  app.get('/v1/dashboard', async (c) => {
    const params = parseQuery(c, DashboardQuerySchema)
    return sendJson(c, await loadDashboard(ctx.store, params, { filterValues }))
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
