import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { mapSpans } from '../src/interfaces/otlp/map-spans.js'
import { DEFAULT_OTLP_MAPPING, priceTokens, tierForModel } from '../src/interfaces/otlp/model-pricing.js'
import { ExportTraceServiceRequestSchema } from '../src/interfaces/otlp/otlp-json.js'
import { SpanBuffer } from '../src/interfaces/otlp/span-buffer.js'
import { agentTrace, exportRequest, hexId, span } from './support/otlp-spans.js'

const map = (spans: unknown[], buffer = new SpanBuffer()) =>
  mapSpans(ExportTraceServiceRequestSchema.parse(exportRequest(spans)), DEFAULT_OTLP_MAPPING, buffer)

const perCall = (1200 * 3 + 340 * 15) / 1_000_000

describe('otlp span mapping', () => {
  it('should make one execution per invoke_agent span with its model calls summed in', () => {
    const t = agentTrace({ calls: 2 })
    const { records, rejected, other } = map([...t.children, t.agent])
    assert.deepEqual(rejected, [])
    assert.equal(other, 2)
    assert.equal(records.length, 1)
    const r = records[0]!
    assert.equal(r.task_type, 'code-reviewer')
    assert.equal(r.repo, 'orchestrator')
    assert.equal(r.model_tier, 'medium')
    assert.equal(r.success, true)
    assert.equal(r.duration_seconds, 2.5)
    assert.equal(r.estimated_tokens, 2 * (1200 + 340))
    assert.ok(Math.abs((r.actual_cost as number) - 2 * perCall) < 1e-12)
    const metadata = r.metadata as Record<string, unknown>
    assert.equal(metadata.model_calls, 2)
    assert.equal(metadata.trace_id, t.traceId)
    assert.deepEqual(metadata.otlp_defaulted, [
      'pool_type',
      'routing_confidence',
      'complexity_score',
      'cost_estimate',
    ])
  })

  it('should sum model calls exported in an earlier request', () => {
    const buffer = new SpanBuffer()
    const t = agentTrace({ calls: 3 })
    assert.equal(map(t.children, buffer).records.length, 0)
    const { records } = map([t.agent], buffer)
    assert.equal((records[0]!.metadata as { model_calls: number }).model_calls, 3)
    assert.equal(records[0]!.estimated_tokens, 3 * 1540)
    assert.equal(buffer.size, 1, 'the calls were taken out; only the task span stays as a boundary')
  })

  it('should take orb.* attributes over derived values and keep a UUID orb.task_id', () => {
    const taskId = '3f1c2b9e-8a4d-4c1e-9f00-1234567890ab'
    const t = agentTrace({
      agentAttrs: {
        'orb.task_id': taskId,
        'orb.task_type': 'refactor',
        'orb.repo': 'orb/api',
        'orb.model_tier': 'large',
        'orb.pool_type': 'mahavishnu',
        'orb.routing_confidence': 0.82,
        'orb.complexity_score': 45,
        'orb.cost.estimate': 0.02,
        'orb.cost.actual': 0.031,
        'orb.quality_score': 90,
        'orb.metadata.ticket': 'ORB-12',
      },
    })
    const [r] = map([...t.children, t.agent]).records
    assert.equal(r!.task_id, taskId)
    assert.deepEqual(
      [r!.task_type, r!.repo, r!.model_tier, r!.pool_type, r!.routing_confidence, r!.complexity_score],
      ['refactor', 'orb/api', 'large', 'mahavishnu', 0.82, 45],
    )
    assert.deepEqual([r!.cost_estimate, r!.actual_cost, r!.quality_score], [0.02, 0.031, 90])
    const metadata = r!.metadata as Record<string, unknown>
    assert.equal(metadata.ticket, 'ORB-12')
    assert.equal(metadata.otlp_defaulted, undefined)
  })

  it('should derive the same task_id for a re-sent span and hash a non-UUID orb.task_id', () => {
    const t = agentTrace()
    const first = map([t.agent]).records[0]!.task_id
    assert.equal(map([t.agent]).records[0]!.task_id, first)
    const named = agentTrace({ agentAttrs: { 'orb.task_id': 'task-42' } })
    const r = map([named.agent]).records[0]!
    assert.match(String(r.task_id), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.equal((r.metadata as { orb_task_id: string }).orb_task_id, 'task-42')
  })

  it('should record a failed task with its error.type and status message', () => {
    const t = agentTrace({
      agentAttrs: { 'error.type': 'timeout' },
      status: { code: 2, message: 'agent timed out after 300 s' },
    })
    const [r] = map([t.agent]).records
    assert.deepEqual(
      [r!.success, r!.error_type, r!.error_message],
      [false, 'timeout', 'agent timed out after 300 s'],
    )
  })

  it('should take the quality score from a gen_ai.evaluation.result event', () => {
    const t = agentTrace()
    const agent = {
      ...t.agent,
      events: [
        {
          name: 'gen_ai.evaluation.result',
          attributes: [
            { key: 'gen_ai.evaluation.name', value: { stringValue: 'relevance' } },
            { key: 'gen_ai.evaluation.score.value', value: { doubleValue: 0.87 } },
          ],
        },
      ],
    }
    assert.equal(map([agent]).records[0]!.quality_score, 87)
  })

  it('should reject a span whose attribute has the wrong type or value, naming it', () => {
    const wrongType = agentTrace({ agentAttrs: { 'orb.routing_confidence': 'high' } })
    const outOfRange = agentTrace({ agentAttrs: { 'orb.complexity_score': 250 } })
    const good = agentTrace()
    const { records, rejected } = map([wrongType.agent, outOfRange.agent, good.agent])
    assert.equal(records.length, 1)
    assert.equal(rejected.length, 2)
    assert.match(rejected[0]!.error, /orb\.routing_confidence must be a number, got "high"/)
    assert.match(rejected[1]!.error, /complexity_score must be between 0 and 100, got 250/)
    assert.match(rejected[1]!.error, new RegExp(outOfRange.agentId))
  })

  it('should reject spans with malformed ids or times', () => {
    const traceId = hexId(16)
    const { rejected } = map([
      span({ traceId: 'xyz', name: 'invoke_agent a', attrs: { 'gen_ai.operation.name': 'invoke_agent' } }),
      span({ traceId, spanId: '12', name: 'chat m' }),
      {
        ...span({ traceId, name: 'invoke_agent b', attrs: { 'gen_ai.operation.name': 'invoke_agent' } }),
        endTimeUnixNano: '1',
      },
    ])
    assert.deepEqual(
      rejected.map((r) => r.error.replace(/^span \S+ \([^)]*\): /, '')),
      [
        'traceId must be 32 hex characters, got "xyz"',
        'spanId must be 16 hex characters, got "12"',
        'endTimeUnixNano must be present and not before startTimeUnixNano',
      ],
    )
  })

  it('should give each nested task span only the model calls below it', () => {
    const outer = agentTrace({ calls: 1 })
    const innerId = hexId(8)
    const inner = span({
      traceId: outer.traceId,
      spanId: innerId,
      parentSpanId: outer.agentId,
      name: 'invoke_agent tester',
      attrs: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'tester' },
    })
    const innerCall = span({
      traceId: outer.traceId,
      parentSpanId: innerId,
      name: 'chat claude-haiku-4',
      attrs: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'claude-haiku-4',
        'gen_ai.usage.input_tokens': 100,
      },
    })
    const { records } = map([...outer.children, innerCall, inner, outer.agent])
    const byType = Object.fromEntries(records.map((r) => [r.task_type, r]))
    assert.equal(byType.tester!.estimated_tokens, 100)
    assert.equal(byType.tester!.model_tier, 'small')
    assert.equal(byType['code-reviewer']!.estimated_tokens, 1540)
  })

  it('should map model names to tiers and prices by the first matching pattern', () => {
    assert.equal(tierForModel('claude-opus-4-1', DEFAULT_OTLP_MAPPING.modelTiers), 'large')
    assert.equal(tierForModel('gpt-4o-mini-2024', DEFAULT_OTLP_MAPPING.modelTiers), 'small')
    assert.equal(tierForModel('llama-3', DEFAULT_OTLP_MAPPING.modelTiers), undefined)
    assert.equal(priceTokens('gpt-4o-mini', 1_000_000, 0, DEFAULT_OTLP_MAPPING.prices), 0.15)
    assert.equal(priceTokens('mystery', 1, 1, DEFAULT_OTLP_MAPPING.prices), undefined)
  })
})
