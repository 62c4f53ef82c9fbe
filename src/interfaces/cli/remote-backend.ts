import type { QueryInfo } from '../../analytics/query-types.js'
import { type ErrorCode, errorMessage, LearningError } from '../../errors.js'
import type { RecordResult, Rejection } from '../../ingest/record-executions.js'
import type { SimilarExecution } from '../../search/find-similar.js'
import type { CliBackend } from './cli-backend.js'
import { UsageError } from './command.js'

/** Most records and bytes one POST /v1/executions carries (the server takes 10,000 records and 5 MB). */
export const REMOTE_BATCH_RECORDS = 1_000
export const REMOTE_BATCH_BYTES = 2 * 1024 * 1024
const TIMEOUT_MS = 120_000
const BUSY_RETRIES = 10
const CODES: readonly ErrorCode[] = ['invalid_input', 'not_found', 'conflict', 'unavailable', 'internal']

/** The backend that sends each call to a running `orb-learning serve` at `baseUrl` over its HTTP API. */
export function remoteBackend(baseUrl: string, apiKey: string | undefined): CliBackend {
  const call = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callServer(baseUrl, apiKey, method, path, body)
  return {
    async recordExecutions(records) {
      const total: RecordResult = { inserted: 0, updated: 0, rejected: [], task_ids: [] }
      for (const batch of batches(records)) {
        const r = await postRecords(call, batch.json)
        total.inserted += r.inserted
        total.updated += r.updated
        total.task_ids.push(...r.task_ids)
        for (const x of r.rejected) total.rejected.push({ ...x, index: x.index + batch.offset })
      }
      return total
    },
    getStatus: async () => (await call('GET', '/v1/status')) as never,
    listQueries: async () => ((await call('GET', '/v1/queries')) as { queries: QueryInfo[] }).queries,
    runQuery: async (name, params) =>
      (await call('GET', `/v1/queries/${encodeURIComponent(name)}?${new URLSearchParams(params)}`)) as never,
    async findSimilar(query) {
      const { results } = (await call('POST', '/v1/similar', query)) as {
        results: (Omit<SimilarExecution, 'timestamp'> & { timestamp: string })[]
      }
      return results.map((r) => ({ ...r, timestamp: new Date(r.timestamp) }))
    },
    recommendRoute: async (task, options) =>
      (await call('POST', '/v1/recommendations', { ...task, options })) as never,
    recordFeedback: async (input) => (await call('POST', '/v1/feedback', input)) as never,
    listFeedback: async (input) =>
      (await call('GET', `/v1/feedback?${new URLSearchParams({ task_id: input.task_id })}`)) as never,
    deleteFeedback: async () => {
      throw noRemoteEquivalent('feedback --delete')
    },
    exportFeedback: async () => {
      throw noRemoteEquivalent('feedback --export')
    },
  }
}

/** Refuse a step that has no HTTP equivalent, saying where it can run. */
export function noRemoteEquivalent(what: string): UsageError {
  return new UsageError(
    `${what} has no HTTP equivalent, so it cannot use --server URL / ORB_LEARNING_SERVER: ` +
      'run it where the database is (--db PATH), after stopping the server that holds it',
  )
}

type Call = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<unknown>

// A 400 whose details list every record as rejected means "none valid": report them, like local mode does.
async function postRecords(call: Call, json: string): Promise<RecordResult> {
  try {
    return (await call('POST', '/v1/executions', new RawJson(json))) as RecordResult
  } catch (error) {
    const rejected = (error as { details?: { rejected?: unknown } }).details?.rejected
    if (error instanceof LearningError && error.code === 'invalid_input' && Array.isArray(rejected)) {
      return { inserted: 0, updated: 0, rejected: rejected as Rejection[], task_ids: [] }
    }
    throw error
  }
}

/** A body that is already JSON text (batches are serialised once, to measure their size). */
class RawJson {
  constructor(readonly text: string) {}
}

function* batches(records: readonly unknown[]): Generator<{ offset: number; json: string }> {
  let parts: string[] = []
  let bytes = 0
  let offset = 0
  for (let i = 0; i < records.length; i++) {
    const text = JSON.stringify(records[i]) ?? 'null'
    if (
      parts.length > 0 &&
      (parts.length >= REMOTE_BATCH_RECORDS || bytes + text.length > REMOTE_BATCH_BYTES)
    ) {
      yield { offset, json: `[${parts.join(',')}]` }
      parts = []
      bytes = 0
      offset = i
    }
    parts.push(text)
    bytes += text.length + 1
  }
  if (parts.length > 0) yield { offset, json: `[${parts.join(',')}]` }
}

async function callServer(
  baseUrl: string,
  apiKey: string | undefined,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    let response: Response
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(apiKey === undefined || apiKey === '' ? {} : { authorization: `Bearer ${apiKey}` }),
        },
        ...(body === undefined ? {} : { body: body instanceof RawJson ? body.text : JSON.stringify(body) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch (error) {
      throw unreachable(baseUrl, error)
    }
    const text = await response.text()
    const parsed = parseJson(text)
    if (response.ok) return parsed
    // A full write queue answers 503 with Retry-After: wait and resend, like the telemetry client.
    if (response.status === 503 && attempt < BUSY_RETRIES && response.headers.has('retry-after')) {
      const seconds = Number(response.headers.get('retry-after'))
      await new Promise((r) => setTimeout(r, Math.min(Number.isFinite(seconds) ? seconds : 1, 10) * 1000))
      continue
    }
    throw serverError(baseUrl, response.status, parsed)
  }
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text)
  } catch {
    return text
  }
}

function serverError(baseUrl: string, status: number, body: unknown): LearningError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error
  if (error && typeof error.message === 'string') {
    const code = CODES.includes(error.code as ErrorCode) ? (error.code as ErrorCode) : 'internal'
    return new LearningError(code, error.message, { details: error.details ?? null })
  }
  const snippet = (typeof body === 'string' ? body : (JSON.stringify(body) ?? '')).slice(0, 200)
  return new LearningError(
    status === 404 ? 'not_found' : 'unavailable',
    `server ${baseUrl} answered HTTP ${status}${snippet === '' ? '' : `: ${snippet}`}`,
  )
}

function unreachable(baseUrl: string, error: unknown): LearningError {
  const cause = (error as { cause?: unknown }).cause
  const why = cause === undefined ? errorMessage(error) : errorMessage(cause)
  return new LearningError(
    'unavailable',
    `cannot reach the orb-learning server at ${baseUrl} (${why}); is \`orb-learning serve\` running there? ` +
      'Check --server / ORB_LEARNING_SERVER.',
    { cause: error },
  )
}
