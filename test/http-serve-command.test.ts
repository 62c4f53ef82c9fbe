import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { main } from '../src/interfaces/cli/main.js'
import { startServer } from '../src/interfaces/http/server.js'
import { openStore } from '../src/store.js'
import { cliArgs } from './support/cli-process.js'
import { execution } from './support/executions.js'
import { withServer } from './support/http-server.js'
import { withTempDir } from './support/temp-store.js'

describe('orb-learning serve', () => {
  it('should print its URL, serve, and on SIGTERM finish acknowledged writes before exiting 0', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'served.duckdb')
      const child = spawn(process.execPath, cliArgs('serve', '--port', '0', '--db', db, '--json'), {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let stderr = ''
      child.stderr.on('data', (d) => {
        stderr += String(d)
      })
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
      const { url } = JSON.parse(line) as { url: string }
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/)
      const posts = Array.from({ length: 20 }, () =>
        fetch(`${url}/v1/executions`, {
          method: 'POST',
          body: JSON.stringify(Array.from({ length: 50 }, () => execution())),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { task_ids: string[] } })),
      )
      const first = await Promise.race(posts)
      assert.equal(first.status, 201)
      child.kill('SIGTERM')
      const settled = await Promise.allSettled(posts)
      const [code] = (await once(child, 'exit')) as [number | null]
      assert.equal(code, 0, stderr)
      assert.match(stderr, /write queue drained/)
      const acknowledged = settled.flatMap((s) =>
        s.status === 'fulfilled' && s.value.status === 201 ? s.value.body.task_ids : [],
      )
      assert.ok(acknowledged.length >= 50)
      const store = await openStore({ path: db, readOnly: true })
      try {
        const rows = await store.read((c) =>
          queryRows<{ task_id: string }>(c, 'SELECT task_id FROM executions'),
        )
        const stored = new Set(rows.map((r) => r.task_id))
        for (const id of acknowledged) assert.ok(stored.has(id), `acknowledged ${id} is stored`)
      } finally {
        await store.close()
      }
    }))

  it('should refuse a bad port with exit code 2', async () => {
    let stderr = ''
    const io = {
      stdout: { write: () => true },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      stdin: process.stdin,
      env: {},
      cwd: process.cwd(),
    }
    assert.equal(await main(['serve', '--port', '80a'], io), 2)
    assert.match(stderr, /--port must be an integer 0\.\.65535, got '80a'/)
  })
})

describe('startServer', () => {
  it('should say which port is taken and what to do', () =>
    withServer(async (url, store) => {
      const port = Number(new URL(url).port)
      await assert.rejects(
        startServer({ store, port }),
        /port \d+ on 127\.0\.0\.1 is already in use; pass --port N/,
      )
    }))
})
