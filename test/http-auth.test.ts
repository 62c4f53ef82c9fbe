import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { findApiKey, parseApiKeys } from '../src/interfaces/http/api-keys.js'
import { assertSafeBind, isLoopback, requiredScope } from '../src/interfaces/http/auth.js'
import { startServer } from '../src/interfaces/http/server.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const WRITE_KEY = 'k_write_0123456789abcdef'
const READ_KEY = 'k_read_0123456789abcdef'
const ADMIN_KEY = 'k_admin_0123456789abcdef'
const KEYS = parseApiKeys(`write:${WRITE_KEY},read:${READ_KEY},admin:${ADMIN_KEY}`)

const call = (url: string, init: RequestInit & { key?: string } = {}) =>
  fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.headers as Record<string, string>),
    },
  })

describe('api keys and auth', () => {
  it('should require a key with the right scope on /v1, /metrics and /mcp, and leave /health open', () =>
    withStore(async (store) => {
      const server = await startServer({ store, port: 0, apiKeys: KEYS })
      try {
        const post = (key?: string) =>
          call(`${server.url}/v1/executions`, { method: 'POST', body: JSON.stringify(execution()), key })
        const missing = await post()
        assert.equal(missing.status, 401)
        assert.match(missing.headers.get('www-authenticate') ?? '', /Bearer/)
        assert.match(
          ((await missing.json()) as { error: { message: string } }).error.message,
          /missing API key/,
        )
        const wrong = await post('k_wrong_0123456789abcdef')
        assert.equal(wrong.status, 401)
        const wrongText = await wrong.text()
        assert.ok(!wrongText.includes('k_wrong'), 'the presented key is never echoed')
        const readOnly = await post(READ_KEY)
        assert.equal(readOnly.status, 403)
        assert.match(await readOnly.text(), /lacks the 'write' scope needed for POST \/v1\/executions/)
        assert.equal((await post(WRITE_KEY)).status, 201)
        assert.equal((await post(ADMIN_KEY)).status, 201)
        assert.equal((await call(`${server.url}/v1/status`, { key: WRITE_KEY })).status, 403)
        assert.equal((await call(`${server.url}/v1/status`, { key: READ_KEY })).status, 200)
        assert.equal((await call(`${server.url}/metrics`)).status, 401)
        assert.equal(
          (await call(`${server.url}/metrics`, { headers: { 'x-api-key': READ_KEY } })).status,
          200,
        )
        assert.equal((await call(`${server.url}/mcp`, { method: 'POST', body: '{}' })).status, 401)
        assert.equal((await call(`${server.url}/health`)).status, 200)
        const [row] = await store.read((c) =>
          queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
        )
        assert.equal(row?.n, 2)
      } finally {
        await server.close()
      }
    }))

  it('should answer 429 with Retry-After past a key rate', () =>
    withStore(async (store) => {
      const key = 'k_slow_0123456789abcdef'
      const apiKeys = parseApiKeys(
        JSON.stringify([{ name: 'slow', key, scopes: ['read'], rate_per_second: 2 }]),
      )
      const server = await startServer({ store, port: 0, apiKeys })
      try {
        const statuses: number[] = []
        let retryAfter: string | null = null
        for (let i = 0; i < 5; i++) {
          const res = await call(`${server.url}/v1/status`, { key })
          statuses.push(res.status)
          if (res.status === 429) retryAfter = res.headers.get('retry-after')
          await res.arrayBuffer()
        }
        assert.deepEqual(statuses.slice(0, 2), [200, 200])
        assert.ok(statuses.includes(429))
        assert.match(retryAfter ?? '', /^\d+$/)
      } finally {
        await server.close()
      }
    }))

  it('should refuse to bind beyond loopback without keys', () =>
    withStore(async (store) => {
      await assert.rejects(
        startServer({ store, host: '0.0.0.0', port: 0 }),
        /refusing to listen on 0\.0\.0\.0 without API keys/,
      )
      assert.doesNotThrow(() => assertSafeBind('127.0.0.1', []))
      assert.doesNotThrow(() => assertSafeBind('0.0.0.0', KEYS))
      assert.deepEqual(
        ['127.0.0.1', '::1', 'localhost', '[::1]', '10.0.0.1', '0.0.0.0', '::'].map(isLoopback),
        [true, true, true, true, false, false, false],
      )
    }))

  it('should parse keys in both forms, keep only digests, and reject weak or malformed entries', () => {
    const keys = parseApiKeys(
      JSON.stringify([
        { name: 'ingest', key: WRITE_KEY, scopes: ['write'] },
        { name: 'ops', sha256: 'a'.repeat(64), scopes: ['admin'] },
      ]),
    )
    assert.equal(findApiKey(keys, WRITE_KEY)?.name, 'ingest')
    assert.equal(findApiKey(keys, READ_KEY), undefined)
    assert.ok(!JSON.stringify(keys).includes(WRITE_KEY))
    assert.throws(() => parseApiKeys('write:short'), /at least 16 characters/)
    assert.throws(() => parseApiKeys(`root:${WRITE_KEY}`), /scopes must be among read, write, admin/)
    assert.throws(() => parseApiKeys('[{"key": 1}]'), /scopes must be an array/)
    assert.throws(() => parseApiKeys('[oops'), /not valid JSON/)
  })

  it('should need admin for ops paths and DELETE, read for GET and /mcp, write for other writes', () => {
    assert.equal(requiredScope('GET', '/v1/status'), 'read')
    assert.equal(requiredScope('POST', '/v1/executions'), 'write')
    assert.equal(requiredScope('POST', '/v1/traces'), 'write')
    assert.equal(requiredScope('POST', '/mcp'), 'read')
    assert.equal(requiredScope('POST', '/v1/similar'), 'read')
    assert.equal(requiredScope('POST', '/v1/ops/backup'), 'admin')
    assert.equal(requiredScope('DELETE', '/v1/feedback/1'), 'admin')
  })
})
