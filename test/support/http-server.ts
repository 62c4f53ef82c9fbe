import type { Options } from '../../src/config.js'
import { startServer } from '../../src/interfaces/http/server.js'
import type { Store } from '../../src/store.js'
import { withStore } from './temp-store.js'

/** A real server on a free port over a fresh temporary store; both closed after `fn`. */
export function withServer<T>(
  fn: (url: string, store: Store) => Promise<T>,
  options: { store?: Partial<Options>; bodyLimitBytes?: number } = {},
): Promise<T> {
  return withStore(async (store) => {
    const server = await startServer({ store, port: 0, bodyLimitBytes: options.bodyLimitBytes })
    try {
      return await fn(server.url, store)
    } finally {
      await server.close()
    }
  }, options.store)
}

/** Parsed JSON of a response, navigated freely by assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test assertions walk arbitrary response JSON
export type Json = any

/** POST JSON (or a raw string) and return status, headers and the parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  raw = false,
): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ? (body as string) : JSON.stringify(body),
  })
  return { status: res.status, headers: res.headers, body: await res.json() }
}

/** GET and return status, headers and the parsed JSON body. */
export async function getJson(url: string): Promise<{ status: number; headers: Headers; body: Json }> {
  const res = await fetch(url)
  return { status: res.status, headers: res.headers, body: await res.json() }
}
