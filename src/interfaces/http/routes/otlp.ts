import { LearningError } from '../../../errors.js'
import { recordExecutions } from '../../../ingest/record-executions.js'
import { BodyError, decodeExportBody } from '../../otlp/decode-body.js'
import { mapSpans } from '../../otlp/map-spans.js'
import type { ExportTraceServiceResponse } from '../../otlp/otlp-json.js'
import { SpanBuffer } from '../../otlp/span-buffer.js'
import type { App, RouteContext } from '../context.js'
import { RETRY_AFTER_SECONDS } from '../http-error.js'

// google.rpc.Status codes the OTLP spec answers failures with.
const INVALID_ARGUMENT = 3
const UNAVAILABLE = 14
const INTERNAL = 13
const MAX_MESSAGES = 5

/**
 * `POST /v1/traces`: OTLP/HTTP JSON ingest. Each task span (invoke_agent/invoke_workflow or one carrying
 * orb.task_id) becomes an execution with its model calls' tokens and cost summed in (docs/otlp.md).
 */
export function registerOtlpRoutes(app: App, ctx: RouteContext): void {
  const buffer = new SpanBuffer()
  app.post('/v1/traces', async (c) => {
    let request: ReturnType<typeof decodeExportBody>
    try {
      const bytes = new Uint8Array(await c.req.arrayBuffer())
      request = decodeExportBody(
        bytes,
        c.req.header('content-type'),
        c.req.header('content-encoding'),
        ctx.options.bodyLimitBytes,
      )
    } catch (error) {
      if (error instanceof BodyError)
        return c.json({ code: INVALID_ARGUMENT, message: error.message }, error.status)
      throw error
    }
    const mapped = mapSpans(request, ctx.options.otlpMapping, buffer)
    const rejected = mapped.rejected.map((r) => r.error)
    if (mapped.records.length > 0) {
      try {
        const result = await recordExecutions(ctx.store, mapped.records, { whenFull: 'reject' })
        ctx.metrics.countIngest(result)
        rejected.push(...result.rejected.map((r) => `task ${r.task_id ?? r.index}: ${r.error}`))
      } catch (error) {
        if (error instanceof LearningError && error.code === 'unavailable') {
          c.header('Retry-After', String(RETRY_AFTER_SECONDS))
          return c.json({ code: UNAVAILABLE, message: error.message }, 503)
        }
        return c.json({ code: INTERNAL, message: `spans could not be stored${safeMessage(error)}` }, 500)
      }
    }
    const response: ExportTraceServiceResponse = {}
    if (rejected.length > 0) {
      const shown = rejected.slice(0, MAX_MESSAGES).join('; ')
      response.partialSuccess = {
        rejectedSpans: String(rejected.length),
        errorMessage:
          rejected.length > MAX_MESSAGES ? `${shown}; and ${rejected.length - MAX_MESSAGES} more` : shown,
      }
    }
    return c.json(response, 200)
  })
  ctx.openapi.add({
    method: 'post',
    path: '/v1/traces',
    summary: 'OTLP/HTTP JSON trace export: GenAI task spans become executions (see docs/otlp.md)',
    description:
      'Answers 200 with partialSuccess {rejectedSpans, errorMessage} when some spans could not become executions, ' +
      '400 for a malformed request, 415 for protobuf, 503 with Retry-After when the write queue is full.',
    tags: ['otlp'],
    responses: {
      200: { description: 'ExportTraceServiceResponse' },
      400: { description: 'google.rpc.Status: malformed request' },
      503: { description: 'Write queue full; retry after Retry-After' },
    },
  })
}

// Only our own errors carry a message meant for callers; anything else stays generic (no internals).
function safeMessage(error: unknown): string {
  return error instanceof LearningError ? `: ${error.message}` : ''
}
