import { validateExecution } from '../../record.js'
import { decodeAttributes } from './attributes.js'
import type { OtlpMapping } from './model-pricing.js'
import type { ExportTraceServiceRequest } from './otlp-json.js'
import type { SpanBuffer } from './span-buffer.js'
import { type DecodedSpan, isTaskSpan, modelCallOf, taskRecord } from './task-span.js'

/** A span that could not become an execution, and why. */
export interface SpanRejection {
  span: string
  error: string
}

/** What an export request maps to: one record per task span, the rejected spans, and the count of others. */
export interface MappedSpans {
  records: Record<string, unknown>[]
  rejected: SpanRejection[]
  /** Valid spans that are not tasks (model calls, tools, HTTP): remembered for their task span, not stored. */
  other: number
}

const TRACE_ID = /^[0-9a-f]{32}$/i
const SPAN_ID = /^[0-9a-f]{16}$/i

/**
 * Map an OTLP export request to execution records: one per task span, with the tokens and cost of the
 * model calls below it (in this request or an earlier one, held in `buffer`) summed in.
 * @example
 * const { records, rejected } = mapSpans(request, DEFAULT_OTLP_MAPPING, new SpanBuffer())
 */
export function mapSpans(
  request: ExportTraceServiceRequest,
  mapping: OtlpMapping,
  buffer: SpanBuffer,
  now = new Date(),
): MappedSpans {
  const result: MappedSpans = { records: [], rejected: [], other: 0 }
  const tasks: DecodedSpan[] = []
  let index = 0
  for (const rs of request.resourceSpans ?? []) {
    const resource = decodeAttributes(rs.resource?.attributes)
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const ref = spanRef(span.spanId, span.name, index++)
        const idError = checkIds(span.traceId, span.spanId, span.parentSpanId)
        if (idError) {
          result.rejected.push({ span: ref, error: `${ref}: ${idError}` })
          continue
        }
        const d: DecodedSpan = {
          span,
          traceId: span.traceId!.toLowerCase(),
          spanId: span.spanId!.toLowerCase(),
          attrs: decodeAttributes(span.attributes),
          resource,
        }
        const task = isTaskSpan(d.attrs)
        const parent = span.parentSpanId ? `${d.traceId}:${span.parentSpanId.toLowerCase()}` : undefined
        buffer.add(`${d.traceId}:${d.spanId}`, parent, task, task ? undefined : modelCallOf(d.attrs))
        if (task) tasks.push(d)
        else result.other++
      }
    }
  }
  for (const d of tasks) {
    const ref = spanRef(d.spanId, d.span.name, -1)
    const mapped = taskRecord(d, buffer.takeModelCalls(`${d.traceId}:${d.spanId}`), mapping)
    if ('error' in mapped) {
      result.rejected.push({ span: ref, error: `${ref}: ${mapped.error}` })
      continue
    }
    const valid = validateExecution(mapped.record, now)
    if (!valid.ok) {
      result.rejected.push({ span: ref, error: `${ref}: ${valid.error}` })
      continue
    }
    result.records.push(mapped.record)
  }
  return result
}

function checkIds(traceId?: string, spanId?: string, parentSpanId?: string): string | undefined {
  if (traceId === undefined || !TRACE_ID.test(traceId))
    return `traceId must be 32 hex characters, got ${JSON.stringify(traceId ?? null)?.slice(0, 40)}`
  if (spanId === undefined || !SPAN_ID.test(spanId))
    return `spanId must be 16 hex characters, got ${JSON.stringify(spanId ?? null)?.slice(0, 40)}`
  if (parentSpanId !== undefined && parentSpanId !== '' && !SPAN_ID.test(parentSpanId))
    return `parentSpanId must be empty or 16 hex characters, got ${JSON.stringify(parentSpanId).slice(0, 40)}`
  return undefined
}

function spanRef(spanId: string | undefined, name: string | undefined, index: number): string {
  const id = spanId !== undefined && SPAN_ID.test(spanId) ? spanId.toLowerCase() : `#${index}`
  return `span ${id}${name ? ` (${name.slice(0, 60)})` : ''}`
}
