import assert from 'node:assert/strict'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecution } from '../src/ingest/record-executions.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'
import { withTempDir } from './support/temp-store.js'

describe('openStore lifecycle', () => {
  it('should allow close twice and close before any use', () =>
    withTempDir(async (dir) => {
      const store = await openStore({ path: join(dir, 'a.duckdb') })
      await store.close()
      await store.close()
      await assert.rejects(async () => store.read(async () => 1), /the store is closed/)
      const again = await openStore({ path: join(dir, 'a.duckdb') })
      await again.close()
    }))

  it('should share one instance per path: writes through one handle are seen by the other', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'shared.duckdb')
      const first = await openStore({ path })
      const second = await openStore({ path: join(dir, '.', 'shared.duckdb') })
      await recordExecution(first, execution())
      const count = async () =>
        (await second.read((c) => queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions')))[0]?.n
      assert.equal(await count(), 1)
      await first.close()
      assert.equal(await count(), 1, 'the second handle still works after the first closed')
      await assert.rejects(
        openStore({ path, readOnly: true }),
        /already open in this process with readOnly=false/,
      )
      await second.close()
      const reopened = await openStore({ path, readOnly: true })
      assert.equal(
        (await reopened.read((c) => queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions')))[0]
          ?.n,
        1,
      )
      await reopened.close()
    }))

  it('should drain queued writes on close and then release the file lock', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'drain.duckdb')
      const store = await openStore({ path })
      const pending = Array.from({ length: 20 }, () => recordExecution(store, execution()))
      await store.close()
      const results = await Promise.all(pending)
      assert.equal(
        results.reduce((n, r) => n + r.inserted, 0),
        20,
      )
      const reopened = await openStore({ path, readOnly: true })
      assert.equal(
        (await reopened.read((c) => queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions')))[0]
          ?.n,
        20,
      )
      await reopened.close()
    }))

  it('should say that a read-only open of a database without schema needs init', () =>
    withTempDir(async (dir) => {
      await assert.rejects(
        openStore({ path: join(dir, 'missing.duckdb'), readOnly: true }),
        /cannot be opened|no orb-learning schema/,
      )
    }))
})
