import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { LearningError } from '../../errors.js'

/** A successful tool result: the value as JSON text and as `structuredContent`. */
export function toolResult(value: unknown): CallToolResult {
  const json = toJson(value)
  const structured = isPlainObject(json) ? json : { result: json }
  return {
    content: [{ type: 'text', text: JSON.stringify(structured, null, 2) }],
    structuredContent: structured,
  }
}

/** A failed tool result: `isError` with a one-line message (never a stack). */
export function toolError(error: unknown): CallToolResult {
  const message =
    error instanceof LearningError
      ? `${error.code}: ${error.message}`
      : `internal: ${error instanceof Error ? error.message : String(error)}`
  return { content: [{ type: 'text', text: message }], isError: true }
}

/** Plain JSON form of a result: dates as ISO strings, bigints as numbers, vectors as arrays. */
export function toJson(value: unknown): unknown {
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return Number(v)
    if (v instanceof Float32Array) return Array.from(v)
    return v
  })
  return text === undefined ? null : JSON.parse(text)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
