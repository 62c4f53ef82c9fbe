/** Statuses worth retrying (OTLP and our API): rate limited, overloaded, gateway trouble. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/**
 * How long to wait before retry number `attempt` (0-based): the server's Retry-After when it gave one,
 * else exponential backoff from `baseMs` with full jitter, capped at `maxMs`.
 */
export function retryDelayMs(
  attempt: number,
  retryAfter: string | null | undefined,
  options: { baseMs: number; maxMs: number; now?: number; random?: () => number },
): number {
  const fromHeader = parseRetryAfter(retryAfter, options.now ?? Date.now())
  if (fromHeader !== undefined) return Math.min(fromHeader, options.maxMs)
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(ceiling / 2 + (options.random ?? Math.random)() * (ceiling / 2))
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or malformed. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
