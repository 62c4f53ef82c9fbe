import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { countNonDemoRows, seedDemo } from '../src/demo/seed-demo.js'
import { recordExecution } from '../src/ingest/record-executions.js'
import { getDatabaseStatus } from '../src/ops/database-status.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'
import { runCli } from './support/run-cli.js'
import { withStore, withTempDir } from './support/temp-store.js'

describe('seedDemo', () => {
  it('should write the demo rows with progress and update them on a second run with the same seed', () =>
    withStore(async (store) => {
      const seen: number[] = []
      const first = await seedDemo(store, {
        rows: 1200,
        batchSize: 500,
        onProgress: (p) => seen.push(p.rows),
      })
      assert.deepEqual([first.inserted, first.updated, first.rejected], [1200, 0, 0])
      assert.equal(seen.at(-1), 1200)
      const second = await seedDemo(store, { rows: 1200, batchSize: 500 })
      assert.deepEqual([second.inserted, second.updated], [0, 1200])
      assert.equal((await getDatabaseStatus(store)).record_count, 1200)
      assert.equal(await countNonDemoRows(store), 0)
    }))

  it('should refuse a database that holds non-demo rows and write nothing', () =>
    withStore(async (store) => {
      await recordExecution(store, execution())
      await assert.rejects(seedDemo(store, { rows: 10 }), /holds 1 rows that are not demo data/)
      assert.equal((await getDatabaseStatus(store)).record_count, 1)
    }))
})

describe('orb-learning demo', () => {
  it('should write --rows records into --db and print a summary', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'demo.duckdb')
      const out = await runCli(['demo', '--rows', '300', '--db', db, '--json'])
      assert.equal(out.code, 0, out.stderr)
      assert.equal(JSON.parse(out.stdout).inserted, 300)
      assert.match(out.stderr, /demo: 300 \/ 300 rows/)
      const store = await openStore({ path: db, readOnly: true })
      assert.equal((await getDatabaseStatus(store)).record_count, 300)
      await store.close()
    }))

  it('should reject a bad --rows value as bad usage', async () => {
    const out = await runCli(['demo', '--rows', 'many'])
    assert.equal(out.code, 2)
    assert.match(out.stderr, /--rows must be a whole number, got "many"/)
  })
})
