import { invalidInput } from '../errors.js'

/** Options of `deliverWebhook`. */
export interface WebhookOptions {
  /** Attempts in all. Default 4. */
  attempts?: number
  /** First wait between attempts, doubled each time. Default 500 ms. */
  backoffMs?: number
  /** Per-attempt timeout. Default 5,000 ms. */
  timeoutMs?: number
}

/** What a delivery did. */
export interface WebhookResult {
  delivered: boolean
  attempts: number
  status: number | null
  error: string | null
}

/** Check a webhook URL: http or https only. */
export function checkWebhookUrl(url: string): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw invalidInput(`webhook URL must be an absolute http(s) URL, got ${JSON.stringify(url)}`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidInput(`webhook URL must use http or https, got ${JSON.stringify(url)}`)
  }
  return parsed
}

/** POST a JSON payload to a webhook, retrying failures (network errors, 5xx, 429) with exponential backoff. */
export async function deliverWebhook(
  url: string,
  payload: unknown,
  options: WebhookOptions = {},
): Promise<WebhookResult> {
  const target = checkWebhookUrl(url)
  const attempts = options.attempts ?? 4
  let wait = options.backoffMs ?? 500
  let last: WebhookResult = { delivered: false, attempts: 0, status: null, error: null }
  for (let i = 1; i <= attempts; i++) {
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'orb-learning-alerts' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      })
      await response.arrayBuffer()
      last = {
        delivered: response.ok,
        attempts: i,
        status: response.status,
        error: response.ok ? null : `HTTP ${response.status}`,
      }
      if (response.ok || (response.status < 500 && response.status !== 429)) return last
    } catch (error) {
      last = { delivered: false, attempts: i, status: null, error: (error as Error).message }
    }
    if (i < attempts) await new Promise((r) => setTimeout(r, wait))
    wait *= 2
  }
  return last
}
