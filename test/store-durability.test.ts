import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { queryRows } from '../src/db/query-rows.js'
import { openStore } from '../src/store.js'
import { runCli } from './support/run-cli.js'
import { withTempDir } from './support/temp-store.js'

const CHILD = fileURLToPath(new URL('./support/store-child.ts', import.meta.url))

function startChild(
  db: string,
  mode: 'record' | 'hold',
): { child: ChildProcess; lines: string[]; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, mode], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let buffer = ''
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    buffer += text
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    lines.push(...parts)
  })
  let stderr = ''
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  child.on('exit', (code, signal) => {
    if (code !== null && code !== 0) lines.push(`exited ${code}: ${stderr}`)
    void signal
  })
  return { child, lines, exited }
}

async function waitFor(condition: () => boolean, what: string, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('durability', () => {
  it('should keep every acknowledged record when the writer process is killed with SIGKILL', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'learning.duckdb')
      const { child, lines, exited } = startChild(db, 'record')
      await waitFor(
        () => lines.length >= 300 || lines.some((l) => l.startsWith('exited')),
        '300 acknowledgements',
      )
      child.kill('SIGKILL')
      await exited
      const acknowledged = lines.filter((l) => /^[0-9a-f-]{36}$/.test(l))
      assert.ok(
        acknowledged.length >= 300,
        lines.find((l) => l.startsWith('exited')),
      )
      const store = await openStore({ path: db })
      try {
        const rows = await store.read((c) =>
          queryRows<{ id: string }>(c, 'SELECT task_id::VARCHAR AS id FROM executions'),
        )
        const stored = new Set(rows.map((r) => r.id))
        const lost = acknowledged.filter((id) => !stored.has(id))
        assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged records lost`)
      } finally {
        await store.close()
      }
    }))
})

describe('second process', () => {
  it('should refuse a database held by another process, naming its PID and --server URL', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'learning.duckdb')
      const { child, lines, exited } = startChild(db, 'hold')
      try {
        await waitFor(
          () => lines.includes('ready') || lines.some((l) => l.startsWith('exited')),
          'the holder',
        )
        assert.ok(lines.includes('ready'), lines.join('\n'))
        await assert.rejects(openStore({ path: db }), (error: Error) => {
          assert.match(error.message, new RegExp(`in use by another process \\(PID ${child.pid}`))
          assert.match(error.message, /--server URL \(or ORB_LEARNING_SERVER\)/)
          return true
        })
        await assert.rejects(openStore({ path: db, readOnly: true }), /in use by another process/)
        const cli = await runCli(['status', '--db', db])
        assert.equal(cli.code, 1)
        assert.match(cli.stderr, /^error: database .* is in use by another process \(PID \d+.*--server URL/)
      } finally {
        child.kill('SIGKILL')
        await exited
      }
    }))
})
