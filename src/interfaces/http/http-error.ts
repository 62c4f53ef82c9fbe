import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type ErrorCode, LearningError } from '../../errors.js'

/** The one error body every HTTP endpoint answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: unknown }
}

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
  internal: 500,
}

/** Seconds a client should wait before retrying a 503 (a full write queue drains in well under this). */
export const RETRY_AFTER_SECONDS = 1

/** The HTTP status of a LearningError code. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code]
}

/** The stable error body; never carries a stack trace. */
export function errorBody(code: ErrorCode, message: string, details: unknown = null): ErrorBody {
  return { error: { code, message, details: details ?? null } }
}

/** Answer `error` in the stable shape: LearningError codes map to 400/404/409/503/500, anything else to 500. */
export function respondError(c: Context, error: unknown, status?: ContentfulStatusCode): Response {
  if (error instanceof LearningError) {
    if (error.code === 'unavailable') c.header('Retry-After', String(RETRY_AFTER_SECONDS))
    return c.json(errorBody(error.code, error.message, error.details), status ?? statusOf(error.code))
  }
  // Unknown failures keep their detail out of the response; the message is generic on purpose.
  return c.json(errorBody('internal', 'internal server error'), 500)
}
