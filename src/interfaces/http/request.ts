import type { IncomingMessage } from 'node:http'
import type { HttpBindings } from '@hono/node-server'
import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { z } from 'zod'
import { invalidInput } from '../../errors.js'

/** Deepest JSON nesting a request body may have; deeper bodies are refused before parsing. */
export const MAX_JSON_DEPTH = 64

// Requests whose size the body limit took from Content-Length: their body is still unread in Node's stream.
const sizedByHeader = new WeakSet<Context>()

/**
 * Refuse bodies over `maxSize` bytes with `onError`. A request served by Node with a Content-Length is
 * checked on the header alone and its body left in Node's stream for `readJsonBody`, so the web Request
 * (a third of a small POST's cost on the server) is never built; anything else goes through hono's limit.
 */
export function bodySizeLimit(
  maxSize: number,
  onError: Parameters<typeof bodyLimit>[0]['onError'] & {},
): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize, onError })
  return async (c, next) => {
    const headers = nodeRequest(c)?.headers
    const length = headers?.['content-length']
    if (length === undefined || headers?.['transfer-encoding'] !== undefined) return streamed(c, next)
    if (Number.parseInt(length, 10) > maxSize) return onError(c)
    sizedByHeader.add(c)
    return next()
  }
}

/** Node's request behind a context served by @hono/node-server; undefined elsewhere (`app.request`). */
function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as Partial<HttpBindings> | undefined)?.incoming
}

async function readBody(c: Context): Promise<Uint8Array> {
  const incoming = nodeRequest(c)
  if (!incoming || !sizedByHeader.has(c)) return new Uint8Array(await c.req.arrayBuffer())
  const chunks: Buffer[] = []
  for await (const chunk of incoming) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Read the request body as JSON; a malformed or too deeply nested body is `invalid_input` (400). */
export async function readJsonBody(c: Context): Promise<unknown> {
  let text: string
  try {
    // Fatal decoding: invalid UTF-8 is refused instead of silently becoming U+FFFD in stored text.
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readBody(c))
  } catch (error) {
    if (error instanceof TypeError) throw invalidInput('request body is not valid UTF-8')
    throw error
  }
  if (text.trim() === '') throw invalidInput('request body is empty; send a JSON document')
  const depth = jsonDepth(text)
  if (depth > MAX_JSON_DEPTH) {
    throw invalidInput(`request body nests ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted`)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw invalidInput(`request body is not valid JSON: ${(error as Error).message}`)
  }
}

/** Parse the query string with a zod object; unknown keys and bad values are `invalid_input` naming them. */
export function parseQuery<S extends z.ZodObject>(c: Context, schema: S): z.output<S> {
  const raw = c.req.query()
  const known = new Set(Object.keys(schema.shape))
  const unknown = Object.keys(raw).filter((k) => !known.has(k))
  if (unknown.length > 0) {
    throw invalidInput(
      `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; ` +
        `accepted: ${[...known].join(', ') || 'none'}`,
      { unknown, accepted: [...known] },
    )
  }
  const parsed = schema.safeParse(raw, { reportInput: true })
  if (!parsed.success)
    throw invalidInput(describeIssues(parsed.error.issues), { issues: summarise(parsed.error.issues) })
  return parsed.data
}

/** One readable line for zod issues: `range must be one of 1h, 24h, ..., got "2h"`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input'
      const got = issue.input === undefined ? '' : `, got ${JSON.stringify(issue.input)?.slice(0, 80)}`
      if (issue.code === 'invalid_value') return `${field} must be one of ${issue.values.join(', ')}${got}`
      return `${field}: ${issue.message}${issue.message.includes('got') ? '' : got}`
    })
    .join('; ')
}

function summarise(issues: readonly z.core.$ZodIssue[]): { path: string; message: string }[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
}

/** Deepest bracket nesting of a JSON text, counted outside strings; linear, no allocation. */
export function jsonDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (inString) {
      if (ch === 92) i++
      else if (ch === 34) inString = false
    } else if (ch === 34) inString = true
    else if (ch === 123 || ch === 91) max = Math.max(max, ++depth)
    else if (ch === 125 || ch === 93) depth--
  }
  return max
}
