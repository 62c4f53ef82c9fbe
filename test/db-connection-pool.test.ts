import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { ConnectionPool } from '../src/db/connection-pool.js'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecution } from '../src/ingest/record-executions.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'

async function withPool(
  fn: (pool: ConnectionPool, instance: DuckDBInstance) => Promise<void>,
  size = 2,
  overflow = 1,
): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:')
  const pool = new ConnectionPool(instance, { size, overflow })
  try {
    await fn(pool, instance)
  } finally {
    pool.close()
    instance.closeSync()
  }
}

describe('ConnectionPool', () => {
  it('should report the review stats fields, uninitialised before first use', () =>
    withPool(async (pool) => {
      assert.deepEqual(pool.stats(), {
        size: 2,
        max_overflow: 1,
        available: 0,
        in_use: 0,
        waiting: 0,
        created: 0,
        initialized: false,
      })
      await pool.use(async (conn) => {
        await conn.run('SELECT 1')
        assert.equal(pool.stats().in_use, 1)
      })
      assert.deepEqual(pool.stats(), {
        ...pool.stats(),
        available: 1,
        in_use: 0,
        created: 1,
        initialized: true,
      })
    }))

  it('should open an overflow connection under load, make the next caller wait, and close overflow on return', () =>
    withPool(async (pool) => {
      const held = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()])
      assert.equal(pool.stats().in_use, 3)
      assert.equal(pool.stats().created, 3)
      let served = false
      const waiting = pool.use(async () => {
        served = true
      })
      await new Promise((r) => setTimeout(r, 20))
      assert.equal(pool.stats().waiting, 1)
      assert.equal(served, false)
      pool.release(held[0]!)
      await waiting
      assert.equal(served, true)
      pool.release(held[1]!)
      pool.release(held[2]!)
      assert.equal(pool.stats().in_use, 0)
      assert.ok(pool.stats().available <= 2, 'overflow connections are closed when returned')
    }))

  it('should replace a dead connection with a fresh one before handing it out', () =>
    withPool(async (pool) => {
      await pool.use(async (conn) => conn.closeSync())
      assert.equal(pool.stats().created, 1)
      const [row] = await pool.use((conn) => queryRows<{ x: number }>(conn, 'SELECT 42 AS x'))
      assert.equal(row?.x, 42)
      assert.equal(pool.stats().created, 2)
    }))

  it('should give connections that all see the same :memory: database', () =>
    withPool(async (pool, instance) => {
      const writer = await instance.connect()
      await writer.run('CREATE TABLE t AS SELECT 7 AS x')
      const conns = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()])
      for (const conn of conns) {
        const [row] = await queryRows<{ x: number }>(conn, 'SELECT x FROM t')
        assert.equal(row?.x, 7)
        pool.release(conn)
      }
      writer.closeSync()
    }))

  it('should refuse work after close', () =>
    withPool(async (pool) => {
      pool.close()
      await assert.rejects(
        pool.use(async () => 1),
        /the store is closed/,
      )
    }))
})

describe('store readers', () => {
  it('should let every pooled reader of a :memory: store see what the writer committed', async () => {
    const store = await openStore({ path: ':memory:', poolSize: 2, poolOverflow: 1 })
    try {
      await recordExecution(store, execution())
      const counts = await Promise.all(
        [1, 2, 3].map(() =>
          store.read(async (c) => {
            await new Promise((r) => setTimeout(r, 20)) // hold it, so that three connections are used
            return (await queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'))[0]?.n
          }),
        ),
      )
      assert.deepEqual(counts, [1, 1, 1])
      assert.equal(store.poolStats().created, 3)
    } finally {
      await store.close()
    }
  })
})
