import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { LearningError } from '../src/errors.js'
import { recordExecution, recordExecutions } from '../src/ingest/record-executions.js'
import { parseExecution } from '../src/record.js'
import { openStore, type Store } from '../src/store.js'
import { execution } from './support/executions.js'
import { withStore, withTempDir } from './support/temp-store.js'

const count = async (store: Store) => {
  const [row] = await store.read((c) => queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'))
  return row!.n
}

describe('the write path', () => {
  it('should keep the last of several records with one task_id in a batch and count the rest as updated', () =>
    withStore(async (store) => {
      const id = randomUUID()
      const other = execution()
      const result = await recordExecutions(store, [
        execution({ task_id: id, repo: 'orb/first' }),
        other,
        execution({ task_id: id, repo: 'orb/second' }),
        execution({ task_id: id, repo: 'orb/last' }),
      ])
      assert.deepEqual([result.inserted, result.updated, result.rejected], [2, 2, []])
      const rows = await store.read((c) =>
        queryRows<{ repo: string }>(c, 'SELECT repo FROM executions WHERE task_id = $id', { id }),
      )
      assert.deepEqual(rows, [{ repo: 'orb/last' }])
      assert.equal(await count(store), 2)
    }))

  it('should report updates and inserts in one mixed batch, and keep embeddings of updated rows', () =>
    withStore(async (store) => {
      const existing = execution()
      await recordExecution(store, existing)
      const result = await recordExecutions(store, [
        execution(),
        { ...existing, quality_score: 11 },
        execution(),
      ])
      assert.deepEqual([result.inserted, result.updated], [2, 1])
      const rows = await store.read((c) =>
        queryRows<{ quality_score: number; e: number }>(
          c,
          'SELECT quality_score, len(embedding) AS e FROM executions WHERE task_id = $id',
          { id: existing.task_id as string },
        ),
      )
      assert.deepEqual(rows, [{ quality_score: 11, e: 384 }])
      assert.equal(await count(store), 3)
    }))

  it('should reject only the record the database refuses and write the rest of its batch', () =>
    withStore(async (store) => {
      // Validation is bypassed on purpose: the CHECK constraint is the last line of defence.
      const good = [parseExecution(execution()), parseExecution(execution()), parseExecution(execution())]
      const bad = { ...parseExecution(execution()), routing_confidence: 1.5 }
      const outcomes = await store.enqueueWrite([good[0]!, bad, good[1]!, good[2]!])
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['inserted', 'rejected', 'inserted', 'inserted'],
      )
      const rejection = outcomes[1]!
      assert.ok(rejection.status === 'rejected')
      assert.match(
        rejection.error,
        /^rejected by the database: .*CHECK constraint failed.*routing_confidence/,
      )
      assert.equal(await count(store), 3)
    }))

  it('should still write after a refused batch (the appender is reset)', () =>
    withStore(async (store) => {
      const bad = { ...parseExecution(execution()), complexity_score: 500 }
      const [outcome] = await store.enqueueWrite([bad])
      assert.equal(outcome?.status, 'rejected')
      const result = await recordExecutions(store, [execution(), execution()])
      assert.equal(result.inserted, 2)
      assert.equal(await count(store), 2)
    }))

  it("should hold library callers and refuse 'reject' callers while the write queue is full", () =>
    withStore(
      async (store) => {
        let release!: () => void
        const held = new Promise<void>((resolve) => {
          release = resolve
        })
        // Occupy the writer so that queued records cannot drain.
        const blocker = store.withWriter(() => held)
        const first = recordExecutions(store, [execution(), execution(), execution(), execution()])
        await new Promise((resolve) => setImmediate(resolve))
        await assert.rejects(
          recordExecution(store, execution(), { whenFull: 'reject' }),
          (error: unknown) => {
            assert.ok(error instanceof LearningError)
            assert.equal(error.code, 'unavailable')
            assert.match(error.message, /write queue is full .* retry later/)
            return true
          },
        )
        let waited = false
        const waiting = recordExecution(store, execution()).then((r) => {
          waited = true
          return r
        })
        await new Promise((resolve) => setTimeout(resolve, 50))
        assert.equal(waited, false, 'a library caller waits for room instead of failing')
        assert.equal(store.queueDepth, 4)
        release()
        await blocker
        assert.equal((await first).inserted, 4)
        assert.equal((await waiting).inserted, 1)
        assert.equal(await count(store), 5)
      },
      { maxQueuedRecords: 4 },
    ))

  it('should write every accepted record before close() resolves', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'learning.duckdb')
      const store = await openStore({ path })
      const pending = Array.from({ length: 200 }, (_, i) =>
        recordExecution(store, execution({ task_description: `drain ${i}` })),
      )
      await store.close()
      const results = await Promise.all(pending)
      assert.equal(
        results.reduce((n, r) => n + r.inserted, 0),
        200,
      )
      await assert.rejects(recordExecution(store, execution()), /closed/)
      const reopened = await openStore({ path })
      try {
        assert.equal(await count(reopened), 200)
      } finally {
        await reopened.close()
      }
    }))

  it('should store the vector a record brings and embed the others', () =>
    withStore(async (store) => {
      const own = Array.from({ length: 384 }, (_, i) => (i === 7 ? 1 : 0))
      const mine = execution({ embedding: own })
      await recordExecutions(store, [mine, execution()])
      const rows = await store.read((c) =>
        queryRows<{ task_id: string; e7: number; n: number }>(
          c,
          'SELECT task_id::VARCHAR AS task_id, embedding[8] AS e7, len(embedding) AS n FROM executions ORDER BY (task_id = $id) DESC',
          { id: mine.task_id as string },
        ),
      )
      assert.equal(rows[0]?.e7, 1)
      assert.deepEqual(
        rows.map((r) => r.n),
        [384, 384],
      )
      assert.ok(rows[1]!.e7 !== 1)
    }))
})

describe('checkpointing', () => {
  it('should fold the WAL into the database file once writes pause', () =>
    withStore(async (store, dir) => {
      const wal = join(dir, 'learning.duckdb.wal')
      await recordExecutions(
        store,
        Array.from({ length: 50 }, () => execution()),
      )
      assert.ok(walSize(wal) > 0, 'a commit goes to the WAL first')
      // The store checkpoints 1 s after the last write; allow for a slow, shared machine.
      const deadline = Date.now() + 15_000
      while (walSize(wal) > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100))
      assert.equal(walSize(wal), 0, 'the idle checkpoint emptied the WAL')
      assert.equal(await count(store), 50)
    }))
})

function walSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0
}
