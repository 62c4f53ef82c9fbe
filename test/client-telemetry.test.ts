import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'
import { parseRetryAfter, retryDelayMs } from '../src/client/backoff.js'
import { createTelemetryClient } from '../src/client/index.js'
import { queryRows } from '../src/db/query-rows.js'
import { openStore } from '../src/store.js'
import { cliArgs } from './support/cli-process.js'
import { execution } from './support/executions.js'
import { withTempDir } from './support/temp-store.js'

interface Served {
  child: ChildProcess
  url: string
  port: number
}

async function serve(db: string, port = 0): Promise<Served> {
  const child = spawn(process.execPath, cliArgs('serve', '--port', String(port), '--db', db, '--json'), {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr!.resume()
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  const { url } = JSON.parse(line) as { url: string }
  return { child, url, port: Number(new URL(url).port) }
}

async function stop(served: Served, signal: NodeJS.Signals): Promise<void> {
  const exited = once(served.child, 'exit')
  served.child.kill(signal)
  await exited
}

async function storedIds(db: string): Promise<string[]> {
  const store = await openStore({ path: db, readOnly: true })
  try {
    const rows = await store.read((c) =>
      queryRows<{ id: string }>(c, 'SELECT task_id::VARCHAR AS id FROM executions'),
    )
    return rows.map((r) => r.id)
  } finally {
    await store.close()
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('telemetry client against orb-learning serve', () => {
  it('should deliver every record exactly once across a server crash and restart', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'learning.duckdb')
      let served = await serve(db)
      const errors: string[] = []
      const client = createTelemetryClient({
        url: served.url,
        batchSize: 50,
        flushIntervalMs: 20,
        maxBuffer: 200,
        spillPath: join(dir, 'spill.jsonl'),
        retryBaseMs: 50,
        maxRetryDelayMs: 400,
        onError: (e) => errors.push(e.message),
      })
      const ids: string[] = []
      for (let i = 0; i < 1200; i++) {
        ids.push(client.record(execution({ task_id: undefined, task_description: `task ${i}` })))
        if (i % 40 === 0) await sleep(5)
        if (i === 400) await stop(served, 'SIGKILL')
        if (i === 1000) served = await serve(db, served.port)
      }
      assert.equal(await client.flush(60_000), true, `flushed (${errors.slice(-3).join(' | ')})`)
      const stats = client.stats()
      await client.close()
      await stop(served, 'SIGTERM')
      assert.ok(stats.spilled > 0, 'records spilled to the file while the server was down')
      assert.ok(stats.retries > 0, 'sends were retried')
      assert.equal(stats.rejected, 0)
      assert.ok(!existsSync(join(dir, 'spill.jsonl.replaying')))
      const stored = await storedIds(db)
      assert.equal(stored.length, 1200, 'nothing duplicated')
      assert.deepEqual(new Set(stored), new Set(ids), 'nothing lost')
    }))

  it('should spill at close when the server is down and replay from the file in the next client', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'learning.duckdb')
      const spillPath = join(dir, 'spill.jsonl')
      const first = await serve(db)
      await stop(first, 'SIGTERM')
      const down = createTelemetryClient({ url: first.url, spillPath, retryBaseMs: 20, flushIntervalMs: 10 })
      const ids = Array.from({ length: 30 }, () => down.record(execution({ task_id: undefined })))
      await down.close(300)
      assert.ok(existsSync(spillPath))
      const served = await serve(db)
      const next = createTelemetryClient({ url: served.url, spillPath })
      assert.equal(await next.flush(30_000), true)
      await next.close()
      await stop(served, 'SIGTERM')
      assert.deepEqual(new Set(await storedIds(db)), new Set(ids))
      assert.ok(!existsSync(spillPath) || (await import('node:fs')).statSync(spillPath).size === 0)
    }))

  it('should count invalid records as rejected without retrying them', () =>
    withTempDir(async (dir) => {
      const served = await serve(join(dir, 'learning.duckdb'))
      const errors: string[] = []
      const client = createTelemetryClient({
        url: served.url,
        spillPath: join(dir, 'spill.jsonl'),
        onError: (e) => errors.push(e.message),
      })
      client.record(execution())
      client.record(execution({ routing_confidence: 7 }))
      assert.equal(await client.flush(10_000), true)
      assert.deepEqual([client.stats().sent, client.stats().rejected, client.stats().retries], [1, 1, 0])
      assert.match(errors.join('\n'), /routing_confidence must be between 0 and 1, got 7/)
      await client.close()
      await stop(served, 'SIGTERM')
    }))
})

describe('client backoff', () => {
  it('should honour Retry-After in seconds or as a date, else back off exponentially with jitter', () => {
    const now = Date.UTC(2026, 0, 1)
    assert.equal(parseRetryAfter('3', now), 3000)
    assert.equal(parseRetryAfter(new Date(now + 5000).toUTCString(), now), 5000)
    assert.equal(parseRetryAfter('soon', now), undefined)
    assert.equal(retryDelayMs(0, '2', { baseMs: 100, maxMs: 30_000, now }), 2000)
    assert.equal(retryDelayMs(0, '600', { baseMs: 100, maxMs: 30_000, now }), 30_000)
    assert.equal(retryDelayMs(3, null, { baseMs: 100, maxMs: 30_000, random: () => 1 }), 800)
    assert.equal(retryDelayMs(3, null, { baseMs: 100, maxMs: 30_000, random: () => 0 }), 400)
    assert.equal(retryDelayMs(40, null, { baseMs: 100, maxMs: 5_000, random: () => 1 }), 5_000)
  })
})
