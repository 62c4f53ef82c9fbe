import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { execution } from './support/executions.js'
import { getJson, type Json, postJson, withServer } from './support/http-server.js'

function check(report: Json, name: string): Json {
  const found = report.checks.find((c: Json) => c.name === name)
  assert.ok(found, `check ${name} is reported`)
  return found
}

describe('http quality', () => {
  it('should report a clean, empty database as score 100', () =>
    withServer(async (url) => {
      const { status, body } = await getJson(`${url}/v1/quality`)
      assert.equal(status, 200)
      assert.equal(body.rows, 0)
      assert.equal(body.score, 100)
      assert.equal(body.embedding_coverage, 1)
      for (const c of body.checks) assert.equal(c.affected, 0, c.name)
      assert.match(body.formula, /^score = clamp\(100 - 60\*c/)
    }))

  it('should count the known problems of a small dataset and score them by the documented formula', () =>
    withServer(async (url, store) => {
      const ids = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
      const posted = await postJson(`${url}/v1/executions`, [
        execution({ task_id: ids[0] }),
        execution({ task_id: ids[1], success: true, error_type: 'timeout' }),
        execution({ task_id: ids[2], success: false, error_type: null }),
        execution({ task_id: ids[3], success: false, error_type: 'crash' }),
      ])
      assert.equal(posted.status, 201)
      assert.equal(posted.body.inserted, 4)
      // Problems that cannot arrive through the API (legacy data): one orphan feedback row, one row without embedding.
      await store.withWriter(async (c) => {
        await c.run(
          `INSERT INTO feedback (feedback_id, task_id, rating) VALUES ($a, $known, 5), ($b, $orphan, 1)`,
          { a: randomUUID(), b: randomUUID(), known: ids[0]!, orphan: randomUUID() },
        )
        await c.run('UPDATE executions SET embedding = NULL WHERE task_id = $id', { id: ids[3]! })
      })
      const { status, headers, body } = await getJson(`${url}/v1/quality`)
      assert.equal(status, 200)
      assert.match(headers.get('content-type') ?? '', /application\/json/)
      assert.equal(body.rows, 4)
      assert.equal(body.feedback_rows, 2)
      assert.equal(check(body, 'orphan_feedback').affected, 1)
      assert.equal(check(body, 'succeeded_with_error_type').affected, 1)
      assert.equal(check(body, 'failed_without_error_type').affected, 1)
      assert.equal(check(body, 'missing_embeddings').affected, 1)
      assert.equal(check(body, 'null_critical_fields').affected, 0)
      assert.equal(check(body, 'duplicate_task_ids').affected, 0)
      assert.equal(check(body, 'future_timestamps').affected, 0)
      assert.equal(check(body, 'out_of_range_values').affected, 0)
      assert.equal(body.embedding_coverage, 0.75)
      // c = 0, o = 1/2, e = 3/4, w = 1/4: 100 - 15*0.5 - 15*0.25 - 10*0.25 = 86.25, rounded to one decimal.
      assert.equal(body.score, 86.3)
    }))

  it('should refuse query parameters and describe itself in the OpenAPI document', () =>
    withServer(async (url) => {
      const refused = await getJson(`${url}/v1/quality?range=7d`)
      assert.equal(refused.status, 400)
      assert.equal(refused.body.error.code, 'invalid_input')
      const doc = (await getJson(`${url}/v1/openapi.json`)).body
      const schema = doc.paths['/v1/quality'].get.responses['200'].content['application/json'].schema
      assert.ok(schema.required.includes('score'))
      assert.equal(schema.properties.checks.type, 'array')
    }))
})
