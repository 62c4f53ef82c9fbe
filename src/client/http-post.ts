/** What one POST came back with. */
export interface PostOutcome {
  status: number
  retryAfter: string | null
  body: unknown
}

/** POST a JSON body with an optional API key and a timeout; network failures reject. */
export async function postJson(
  fetchFn: typeof fetch,
  url: string,
  body: unknown,
  apiKey: string | undefined,
  timeoutMs: number,
): Promise<PostOutcome> {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
    },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await response.text()
  let parsed: unknown = text
  try {
    parsed = text === '' ? null : JSON.parse(text)
  } catch {
    // Not JSON (a proxy's error page): keep the text.
  }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: parsed }
}

/** The error message of an API error body `{ error: { message } }`, else a short rendering of it. */
export function bodyMessage(body: unknown): string {
  const message = (body as { error?: { message?: unknown } } | null)?.error?.message
  if (typeof message === 'string') return message
  return (typeof body === 'string' ? body : (JSON.stringify(body) ?? '')).slice(0, 200)
}
