import { createHash } from 'node:crypto'
import type { AttributeValue } from './attributes.js'
import { type OtlpMapping, priceTokens, tierForModel } from './model-pricing.js'
import { ORB_ATTRIBUTES, ORB_METADATA_PREFIX, type OrbAttributeType } from './orb-attributes.js'
import type { OtlpSpan } from './otlp-json.js'
import type { ModelCall } from './span-buffer.js'

/** Operation names whose span is one orchestrator task. */
export const TASK_OPERATIONS: ReadonlySet<string> = new Set(['invoke_agent', 'invoke_workflow'])
const MODEL_OPERATIONS: ReadonlySet<string> = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
])
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

/** A span with its decoded attributes and those of its resource. */
export interface DecodedSpan {
  span: OtlpSpan
  traceId: string
  spanId: string
  attrs: Map<string, AttributeValue>
  resource: Map<string, AttributeValue>
}

/** Whether a span is one task: an invoke_agent/invoke_workflow span, or any span carrying orb.task_id. */
export function isTaskSpan(attrs: Map<string, AttributeValue>): boolean {
  return attrs.has('orb.task_id') || TASK_OPERATIONS.has(String(attrs.get('gen_ai.operation.name')))
}

/** The model call a span stands for (its tokens and cost), or undefined when it carries none. */
export function modelCallOf(attrs: Map<string, AttributeValue>): ModelCall | undefined {
  const input = num(attrs.get('gen_ai.usage.input_tokens'))
  const output = num(attrs.get('gen_ai.usage.output_tokens'))
  const cost = num(attrs.get('orb.cost.actual')) ?? num(attrs.get('gen_ai.usage.cost'))
  const op = String(attrs.get('gen_ai.operation.name'))
  if (input === undefined && output === undefined && cost === undefined && !MODEL_OPERATIONS.has(op))
    return undefined
  return {
    model: str(attrs.get('gen_ai.request.model')) ?? str(attrs.get('gen_ai.response.model')),
    inputTokens: input ?? 0,
    outputTokens: output ?? 0,
    cost,
    errorType: str(attrs.get('error.type')),
  }
}

/**
 * The execution record of a task span, with the model calls below it summed in; or the message naming the
 * attribute that cannot become a column. Fields the span does not give get documented defaults, listed in
 * `metadata.otlp_defaulted`.
 */
export function taskRecord(
  d: DecodedSpan,
  calls: readonly ModelCall[],
  mapping: OtlpMapping,
): { record: Record<string, unknown> } | { error: string } {
  const { span, attrs } = d
  const record: Record<string, unknown> = {}
  for (const a of ORB_ATTRIBUTES) {
    const value = attrs.get(a.attribute)
    if (value === undefined || value === null) continue
    if (!hasType(value, a.type))
      return { error: `${a.attribute} must be ${describeType(a.type)}, got ${show(value)}` }
    record[a.column] = value
  }
  const start = nanos(span.startTimeUnixNano)
  const end = nanos(span.endTimeUnixNano)
  if (start === undefined || start <= 0n) return { error: 'startTimeUnixNano is required and must be > 0' }
  if (end === undefined || end < start)
    return { error: 'endTimeUnixNano must be present and not before startTimeUnixNano' }
  record.timestamp = new Date(Number(start / 1_000_000n)).toISOString()
  record.duration_seconds = Number(end - start) / 1e9

  const defaulted: string[] = []
  const fill = (column: string, value: unknown) => {
    if (record[column] !== undefined) return
    if (value === undefined) return
    record[column] = value
  }
  const fallback = (column: string, value: unknown) => {
    if (record[column] !== undefined) return
    record[column] = value
    defaulted.push(column)
  }

  const own = modelCallOf(attrs)
  const usage = own && (own.inputTokens > 0 || own.outputTokens > 0) ? [own] : calls
  const model = str(attrs.get('gen_ai.request.model')) ?? calls.find((c) => c.model)?.model
  const inputTokens = sum(usage.map((c) => c.inputTokens))
  const outputTokens = sum(usage.map((c) => c.outputTokens))

  const originalId = record.task_id
  if (typeof originalId === 'string' && !UUID.test(originalId))
    record.task_id = hashUuid(`orb-task:${originalId}`)
  fill('task_id', hashUuid(`orb-span:${d.traceId.toLowerCase()}:${d.spanId.toLowerCase()}`))
  fill('task_type', str(attrs.get('gen_ai.agent.name')) ?? str(attrs.get('gen_ai.workflow.name')))
  fill('task_description', str(attrs.get('gen_ai.agent.description')) ?? nonEmpty(span.name))
  fill('repo', str(d.resource.get('service.name')))
  fill('model_tier', model === undefined ? undefined : tierForModel(model, mapping.modelTiers))
  fill('success', span.status?.code !== 2)
  fill('error_type', str(attrs.get('error.type')) ?? calls.find((c) => c.errorType)?.errorType)
  fill('error_message', nonEmpty(span.status?.message))
  fill('quality_score', evaluationScore(span))
  fill('estimated_tokens', inputTokens + outputTokens > 0 ? inputTokens + outputTokens : undefined)
  fill('actual_cost', costOf(usage, mapping))
  fallback('task_type', String(attrs.get('gen_ai.operation.name') ?? 'task'))
  fallback('task_description', 'span without a name')
  fallback('repo', 'unknown')
  fallback('model_tier', 'unknown')
  fallback('pool_type', 'unknown')
  fallback('routing_confidence', 0)
  fallback('complexity_score', 0)
  fallback('cost_estimate', 0)
  fallback('actual_cost', 0)

  const metadata: Record<string, unknown> = {
    source: 'otlp',
    trace_id: d.traceId.toLowerCase(),
    span_id: d.spanId.toLowerCase(),
    model_calls: calls.length,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
  }
  if (typeof originalId === 'string' && originalId !== record.task_id) metadata.orb_task_id = originalId
  if (model !== undefined) metadata.model = model
  const provider = str(attrs.get('gen_ai.provider.name')) ?? str(attrs.get('gen_ai.system'))
  if (provider !== undefined) metadata.provider = provider
  const service = str(d.resource.get('service.name'))
  if (service !== undefined) metadata.service_name = service
  if (defaulted.length > 0) metadata.otlp_defaulted = defaulted
  for (const [key, value] of attrs) {
    if (key.startsWith(ORB_METADATA_PREFIX)) metadata[key.slice(ORB_METADATA_PREFIX.length)] = value
  }
  record.metadata = metadata
  return { record }
}

function costOf(calls: readonly ModelCall[], mapping: OtlpMapping): number | undefined {
  let total = 0
  let known = false
  for (const c of calls) {
    const cost =
      c.cost ??
      (c.model === undefined
        ? undefined
        : priceTokens(c.model, c.inputTokens, c.outputTokens, mapping.prices))
    if (cost === undefined) continue
    total += cost
    known = true
  }
  return known ? total : undefined
}

function evaluationScore(span: OtlpSpan): number | undefined {
  for (const event of span.events ?? []) {
    if (event.name !== 'gen_ai.evaluation.result') continue
    const kv = event.attributes?.find((a) => a.key === 'gen_ai.evaluation.score.value')
    const value = Number(kv?.value?.doubleValue ?? kv?.value?.intValue)
    if (!Number.isFinite(value) || value < 0 || value > 100) continue
    // Evaluators score 0..1 or 0..100; the column is 0..100.
    return Math.round(value <= 1 ? value * 100 : value)
  }
  return undefined
}

/** A deterministic UUID (version 5 layout) from a string, so that a re-sent span updates its row. */
export function hashUuid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex')
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

function nanos(value: string | number | undefined): bigint | undefined {
  if (value === undefined) return undefined
  try {
    return BigInt(typeof value === 'number' ? Math.trunc(value) : value)
  } catch {
    return undefined
  }
}

function hasType(value: AttributeValue, type: OrbAttributeType): boolean {
  if (type === 'integer') return typeof value === 'number' && Number.isInteger(value)
  if (type === 'number') return typeof value === 'number' && Number.isFinite(value)
  return typeof value === type
}

function describeType(type: OrbAttributeType): string {
  return type === 'integer' ? 'an integer' : `a ${type}`
}

function show(value: AttributeValue): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function num(value: AttributeValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function str(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value.trim().length > 0 ? value : undefined
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim().length > 0 ? value : undefined
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}
