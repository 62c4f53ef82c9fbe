import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createApp } from '../src/interfaces/http/app.js'
import { getJson, type Json, withServer } from './support/http-server.js'
import { withStore } from './support/temp-store.js'

const METHODS = ['get', 'post', 'put', 'patch', 'delete']

describe('http openapi', () => {
  it('should serve an OpenAPI 3.1 document that describes every route and nothing else', () =>
    withServer(async (url, store) => {
      const { status, body: doc } = await getJson(`${url}/v1/openapi.json`)
      assert.equal(status, 200)
      assert.equal(doc.openapi, '3.1.0')
      assert.equal(typeof doc.info.title, 'string')
      assert.equal(typeof doc.info.version, 'string')
      const documented = new Set<string>()
      const operationIds = new Set<string>()
      for (const [path, item] of Object.entries<Json>(doc.paths)) {
        assert.match(path, /^\/[^:]*$/, `path templates use {name}: ${path}`)
        for (const [method, op] of Object.entries<Json>(item)) {
          assert.ok(METHODS.includes(method), `${method} ${path}`)
          documented.add(`${method.toUpperCase()} ${path}`)
          assert.equal(typeof op.summary, 'string')
          assert.ok(!operationIds.has(op.operationId), `unique operationId ${op.operationId}`)
          operationIds.add(op.operationId)
          assert.ok(Object.keys(op.responses).length > 0)
          for (const code of Object.keys(op.responses)) assert.match(code, /^[1-5]\d\d$/)
          for (const param of op.parameters ?? []) {
            assert.ok(['path', 'query'].includes(param.in))
            if (param.in === 'path') assert.ok(path.includes(`{${param.name}}`), `${param.name} in ${path}`)
            assert.equal(typeof param.schema, 'object')
          }
        }
      }
      const app = createApp(store)
      const served = new Set(
        app.routes
          .filter((r) => r.method !== 'ALL')
          .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`),
      )
      assert.deepEqual([...served].sort(), [...documented].sort())
      assert.doesNotMatch(JSON.stringify(doc), /"\$ref"/, 'schemas are inlined (no dangling references)')
    }))

  it('should describe the execution record from the zod schema with its rules', () =>
    withStore(async (store) => {
      const doc: Json = await (await createApp(store).request('/v1/openapi.json')).json()
      const body = doc.paths['/v1/executions'].post.requestBody.content['application/json'].schema
      const record = body.anyOf.find((s: Json) => s.type === 'object')
      assert.deepEqual(record.properties.routing_confidence, { type: 'number', minimum: 0, maximum: 1 })
      assert.ok(record.required.includes('task_type'))
      assert.equal(record.additionalProperties, false)
      const error = doc.paths['/v1/executions'].post.responses['400'].content['application/json'].schema
      assert.deepEqual(error.properties.error.required, ['code', 'message', 'details'])
    }))
})
