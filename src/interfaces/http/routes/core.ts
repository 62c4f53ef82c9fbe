import { z } from 'zod'
import { errorMessage } from '../../../errors.js'
import { getDatabaseStatus } from '../../../ops/database-status.js'
import type { App, RouteContext } from '../context.js'
import { sendJson } from '../json.js'

const HealthSchema = z.object({
  status: z.enum(['ok', 'error']),
  database: z.enum(['connected', 'unavailable']),
  timestamp: z.string(),
  message: z.string().optional(),
})

const StatusSchema = z.object({
  path: z.string(),
  record_count: z.number().int(),
  feedback_count: z.number().int(),
  size_bytes: z.number().int(),
  wal_bytes: z.number().int(),
  schema_version: z.number().int(),
  embedder: z.string().nullable(),
  first_timestamp: z.string().nullable(),
  last_timestamp: z.string().nullable(),
  queue_depth: z.number().int(),
})

/** `GET /health` (liveness and database reachability) and `GET /v1/status`. */
export function registerCoreRoutes(app: App, ctx: RouteContext): void {
  app.get('/health', async (c) => {
    const timestamp = new Date().toISOString()
    try {
      await ctx.store.read((conn) => conn.run('SELECT 1'))
      return c.json({ status: 'ok', database: 'connected', timestamp })
    } catch (error) {
      return c.json(
        { status: 'error', database: 'unavailable', message: errorMessage(error), timestamp },
        503,
      )
    }
  })
  ctx.openapi.add({
    method: 'get',
    path: '/health',
    summary: 'Liveness: the server answers and the database can be read',
    tags: ['core'],
    responses: {
      200: { description: 'Healthy', schema: HealthSchema },
      503: { description: 'The database cannot be read', schema: HealthSchema },
    },
  })

  app.get('/v1/status', async (c) => sendJson(c, await getDatabaseStatus(ctx.store)))
  ctx.openapi.add({
    method: 'get',
    path: '/v1/status',
    summary: 'Rows, size on disk, schema version, embedder, time span and write-queue depth',
    tags: ['core'],
    responses: { 200: { description: 'Database status', schema: StatusSchema } },
  })
}
