import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Answer JSON that may hold bigint, Date or typed arrays (DuckDB values) in their natural JSON form. */
export function sendJson(c: Context, value: unknown, status: ContentfulStatusCode = 200): Response {
  return c.body(JSON.stringify(value, replacer), status, {
    'Content-Type': 'application/json; charset=utf-8',
  })
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value)
  return value
}
