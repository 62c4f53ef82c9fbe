import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { execution } from './support/executions.js'
import { postJson, withServer } from './support/http-server.js'

function sample(text: string, name: string): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name} `) || (l.startsWith(`${name}{`) && l.includes(name)))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

describe('http metrics', () => {
  it('should expose ingest counters, queue depth, commit latency, request durations and tier gauges', () =>
    withServer(async (url) => {
      await postJson(`${url}/v1/executions`, [
        execution({ model_tier: 'small', success: true, duration_seconds: 2 }),
        execution({ model_tier: 'small', success: false, duration_seconds: 4 }),
        execution({ model_tier: 'large', success: true, duration_seconds: 10 }),
        execution({ routing_confidence: -1 }),
      ])
      const res = await fetch(`${url}/metrics`)
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/)
      const text = await res.text()
      assert.equal(sample(text, 'orb_learning_ingest_records_total{outcome="inserted"}'), 3)
      assert.equal(sample(text, 'orb_learning_ingest_records_total{outcome="rejected"}'), 1)
      assert.equal(sample(text, 'orb_learning_write_queue_depth'), 0)
      assert.equal(sample(text, 'orb_learning_commit_duration_seconds_count'), 1)
      assert.equal(sample(text, 'orb_learning_executions'), 3)
      assert.equal((sample(text, 'orb_learning_database_size_bytes') ?? 0) > 0, true)
      assert.equal(sample(text, 'orb_learning_tier_success_ratio_24h{model_tier="small"}'), 0.5)
      assert.equal(sample(text, 'orb_learning_tier_success_ratio_24h{model_tier="large"}'), 1)
      assert.equal(sample(text, 'orb_learning_tier_duration_p95_seconds_24h{model_tier="large"}'), 10)
      assert.match(
        text,
        /orb_learning_http_request_duration_seconds_count\{method="POST",route="\/v1\/executions",status="201"\} 1/,
      )
      assert.match(text, /orb_learning_process_resident_memory_bytes/)
    }))
})
