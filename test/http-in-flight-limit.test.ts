import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Hono } from 'hono'
import { createApp } from '../src/interfaces/http/app.js'
import { inFlightLimit } from '../src/interfaces/http/in-flight-limit.js'
import { withStore } from './support/temp-store.js'

describe('inFlightLimit', () => {
  it('should answer 503 with Retry-After beyond the limit, admit again once a request ends, and never shed health checks', async () => {
    const gates: (() => void)[] = []
    const app = new Hono()
    app.use('*', inFlightLimit(2, ['/v1']))
    app.get('/v1/slow', async (c) => {
      await new Promise<void>((resolve) => gates.push(resolve))
      return c.text('done')
    })
    app.get('/health', (c) => c.text('ok'))
    const first = app.request('/v1/slow')
    const second = app.request('/v1/slow')
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(gates.length, 2)

    const shed = await app.request('/v1/slow')
    assert.equal(shed.status, 503)
    assert.equal(shed.headers.get('retry-after'), '1')
    const body = (await shed.json()) as { error: { code: string; message: string } }
    assert.equal(body.error.code, 'unavailable')
    assert.match(body.error.message, /server is busy \(2 requests in flight, limit 2\)/)
    assert.equal((await app.request('/health')).status, 200)

    gates.shift()!()
    assert.equal(await (await first).text(), 'done')
    const third = app.request('/v1/slow')
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(gates.length, 2, 'a finished request frees its place')
    for (const open of gates.splice(0)) open()
    assert.deepEqual([(await second).status, (await third).status], [200, 200])
  })

  it('should be part of the server app with the configured limit', () =>
    withStore(async (store) => {
      const app = createApp(store, { maxInFlight: 1 })
      const together = await Promise.all([app.request('/v1/status'), app.request('/v1/status')])
      assert.deepEqual(
        together.map((r) => r.status),
        [200, 503],
      )
      // One after another, each is served.
      for (let i = 0; i < 3; i++) assert.equal((await app.request('/v1/status')).status, 200)
      assert.equal((await createApp(store).request('/v1/status')).status, 200)
    }))
})
