import type { MiddlewareHandler } from 'hono'
import { LearningError } from '../../errors.js'
import { respondError } from './http-error.js'

/**
 * Admission control: at most `limit` API requests are handled at once; the next one is answered 503 with
 * Retry-After at once instead of queueing, so that under overload the admitted requests keep their latency
 * and clients back off. Paths outside `paths` (health, metrics, the dashboard's static files) are never shed,
 * so the server can still be watched while it sheds.
 */
export function inFlightLimit(limit: number, paths: readonly string[]): MiddlewareHandler {
  let inFlight = 0
  return async (c, next) => {
    if (!paths.some((p) => c.req.path === p || c.req.path.startsWith(`${p}/`))) return next()
    if (inFlight >= limit) {
      return respondError(
        c,
        new LearningError(
          'unavailable',
          `server is busy (${inFlight} requests in flight, limit ${limit}); retry later`,
        ),
      )
    }
    inFlight++
    try {
      await next()
    } finally {
      inFlight--
    }
  }
}
