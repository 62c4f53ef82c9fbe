import { randomBytes } from 'node:crypto'

type Attr = string | number | boolean | string[]

/** A random hex id of `bytes` bytes (16 for a trace id, 8 for a span id). */
export const hexId = (bytes: number) => randomBytes(bytes).toString('hex')

/** OTLP JSON attributes from a plain object (integers as intValue strings, as exporters send them). */
export function attributes(values: Record<string, Attr>) {
  return Object.entries(values).map(([key, v]) => ({
    key,
    value: Array.isArray(v)
      ? { arrayValue: { values: v.map((s) => ({ stringValue: s })) } }
      : typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v },
  }))
}

/** Options of one generated span. */
export interface SpanOptions {
  traceId: string
  spanId?: string
  parentSpanId?: string
  name: string
  kind?: number
  startMs?: number
  durationMs?: number
  attrs?: Record<string, Attr>
  status?: { code: number; message?: string }
  events?: unknown[]
}

/** A span shaped like those the OpenTelemetry GenAI instrumentations emit. */
export function span(o: SpanOptions) {
  const start = BigInt(Math.round(o.startMs ?? Date.now() - 60_000)) * 1_000_000n
  const end = start + BigInt(Math.round((o.durationMs ?? 1500) * 1_000_000))
  return {
    traceId: o.traceId,
    spanId: o.spanId ?? hexId(8),
    ...(o.parentSpanId ? { parentSpanId: o.parentSpanId } : {}),
    name: o.name,
    kind: o.kind ?? 1,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(end),
    attributes: attributes(o.attrs ?? {}),
    status: o.status ?? { code: 0 },
    ...(o.events ? { events: o.events } : {}),
  }
}

/** An invoke_agent span and `calls` chat spans below it, as an agent SDK's instrumentation emits them. */
export function agentTrace(
  options: {
    calls?: number
    model?: string
    agentAttrs?: Record<string, Attr>
    status?: { code: number; message?: string }
  } = {},
) {
  const traceId = hexId(16)
  const agentId = hexId(8)
  const model = options.model ?? 'claude-sonnet-4'
  const now = Date.now() - 60_000
  const children = Array.from({ length: options.calls ?? 2 }, (_, i) =>
    span({
      traceId,
      parentSpanId: agentId,
      name: `chat ${model}`,
      kind: 3,
      startMs: now + i * 100,
      durationMs: 90,
      attrs: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': model,
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 340,
        'gen_ai.response.finish_reasons': ['stop'],
      },
    }),
  )
  const agent = span({
    traceId,
    spanId: agentId,
    name: 'invoke_agent code-reviewer',
    kind: 1,
    startMs: now - 10,
    durationMs: 2500,
    attrs: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'code-reviewer',
      'gen_ai.provider.name': 'anthropic',
      ...options.agentAttrs,
    },
    ...(options.status ? { status: options.status } : {}),
  })
  return { traceId, agentId, agent, children }
}

/** An ExportTraceServiceRequest holding `spans` under one resource and scope. */
export function exportRequest(spans: unknown[], serviceName = 'orchestrator') {
  return {
    resourceSpans: [
      {
        resource: { attributes: attributes({ 'service.name': serviceName }) },
        scopeSpans: [{ scope: { name: 'orb-test', version: '0.1.0' }, spans }],
      },
    ],
  }
}
