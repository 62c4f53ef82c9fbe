import assert from 'node:assert/strict'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { validateExecution } from '../src/record.js'
import { find_similar_executions, findSimilar, findSimilarWithPlan } from '../src/search/find-similar.js'
import { IndexFeeder } from '../src/search/index-feeder.js'
import { getVectorIndex, removeFromIndex } from '../src/search/index-registry.js'
import { VectorIndex } from '../src/search/vector-index.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'
import { withStore, withTempDir } from './support/temp-store.js'

const TASKS = [
  'Fix flaky test in the JSON parser',
  'Add pagination to the users endpoint',
  'Upgrade the database driver to the new major version',
  'Write documentation for the billing API',
  'Reduce memory usage of the image resizer',
]

function corpus(n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    execution({
      task_description: `${TASKS[i % TASKS.length]} (case ${i})`,
      repo: i % 2 === 0 ? 'orb/api' : 'orb/web',
      task_type: i % 3 === 0 ? 'bugfix' : 'feature',
      success: i % 4 !== 0,
      daysAgo: i % 30,
    }),
  )
}

describe('findSimilar', () => {
  it('should return the most similar executions first with the review columns', () =>
    withStore(async (store) => {
      await recordExecutions(store, corpus(50))
      const rows = await findSimilar(store, { text: 'json parser test is flaky', minSimilarity: 0, limit: 5 })
      assert.equal(rows.length, 5)
      assert.match(rows[0]!.task_description, /JSON parser/)
      for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.similarity >= rows[i]!.similarity)
      assert.deepEqual(Object.keys(rows[0]!).sort(), [
        'duration_seconds',
        'model_tier',
        'pool_type',
        'quality_score',
        'repo',
        'similarity',
        'solution_summary',
        'success',
        'task_description',
        'task_id',
        'task_type',
        'timestamp',
      ])
      assert.ok(rows[0]!.timestamp instanceof Date)
      const strict = await findSimilar(store, { text: 'json parser test is flaky', minSimilarity: 0.99 })
      assert.ok(strict.every((r) => r.similarity >= 0.99))
      const alias = await find_similar_executions(store, 'json parser test is flaky', 'orb/web', 3, 90, 0)
      assert.equal(alias.length, 3)
      assert.ok(alias.every((r) => r.repo === 'orb/web'))
    }))

  it('should give the same filtered answers through the index as an exact scan', () =>
    withStore(async (store) => {
      await recordExecutions(store, corpus(400))
      const queries = [
        { text: 'memory of image resizer', minSimilarity: 0, limit: 10 },
        { text: 'paginate users', minSimilarity: 0, limit: 7, repo: 'orb/web' },
        { text: 'docs for billing', minSimilarity: 0, limit: 5, taskType: 'bugfix', successOnly: true },
        { text: 'upgrade database driver', minSimilarity: 0, limit: 5, days: 7 },
      ]
      for (const q of queries) {
        const ann = await findSimilarWithPlan(store, q, { forceStrategy: 'ann' })
        const exact = await findSimilarWithPlan(store, q, { forceStrategy: 'exact' })
        assert.equal(ann.plan.strategy, 'ann')
        assert.equal(exact.plan.strategy, 'exact')
        // The index's f32 similarities and DuckDB's agree to float precision, not bit for bit.
        assert.equal(ann.rows.length, exact.rows.length, JSON.stringify(q))
        for (const [i, r] of ann.rows.entries()) {
          const gap = Math.abs(r.similarity - exact.rows[i]!.similarity)
          assert.ok(gap < 1e-5, `${JSON.stringify(q)} row ${i}: ${gap}`)
        }
        // The index answers from the columns it holds: they must be the stored ones.
        const stored = new Map(exact.rows.map((r) => [r.task_id, r]))
        for (const r of ann.rows) {
          const e = stored.get(r.task_id)
          if (e) assert.deepEqual({ ...r, similarity: 0 }, { ...e, similarity: 0 })
        }
        for (const r of ann.rows) {
          if (q.repo) assert.equal(r.repo, q.repo)
          if (q.taskType) assert.equal(r.task_type, q.taskType)
          if (q.successOnly) assert.equal(r.success, true)
          if (q.days) assert.ok(r.timestamp.getTime() >= Date.now() - q.days * 86_400_000)
        }
      }
    }))

  it('should re-rank the candidates of an i8 index with exact similarities from the table', () =>
    withStore(
      async (store) => {
        await recordExecutions(store, corpus(400))
        for (const q of [
          { text: 'memory of image resizer', minSimilarity: 0, limit: 10 },
          { text: 'paginate users', minSimilarity: 0, limit: 5, repo: 'orb/web', successOnly: true },
        ]) {
          const ann = await findSimilarWithPlan(store, q, { forceStrategy: 'ann' })
          const exact = await findSimilarWithPlan(store, q, { forceStrategy: 'exact' })
          assert.equal(ann.plan.strategy, 'ann')
          assert.equal(ann.rows.length, q.limit)
          const stored = new Map(exact.rows.map((r) => [r.task_id, r]))
          let same = 0
          for (const r of ann.rows) {
            if (q.repo) assert.equal(r.repo, q.repo)
            if (q.successOnly) assert.equal(r.success, true)
            const e = stored.get(r.task_id)
            if (!e) continue
            same++
            // Re-ranked from the stored embedding: DuckDB's own cosine, not the i8 approximation.
            assert.ok(Math.abs(r.similarity - e.similarity) < 1e-6, `${r.similarity} vs ${e.similarity}`)
            assert.deepEqual({ ...r, similarity: 0 }, { ...e, similarity: 0 })
          }
          assert.ok(same >= q.limit - 1, `${same} of ${q.limit} exact neighbours found`)
          for (let i = 1; i < ann.rows.length; i++)
            assert.ok(ann.rows[i - 1]!.similarity >= ann.rows[i]!.similarity)
        }
      },
      { indexQuantization: 'i8' },
    ))

  it('should refuse bad queries with a message naming the field', () =>
    withStore(async (store) => {
      const bad: [unknown, RegExp][] = [
        [{ text: '   ' }, /text must not be empty/],
        [{ text: 'x'.repeat(1_000_000) }, /text must be at most 10000 characters/],
        [{ text: 'a', limit: 0 }, /limit must be at least 1/],
        [{ text: 'a', limit: -3 }, /limit must be at least 1/],
        [{ text: 'a', limit: 1001 }, /limit must be at most 1000/],
        [{ text: 'a', minSimilarity: 1.5 }, /minSimilarity must be at most 1/],
        [{ text: 'a', colour: 'red' }, /unknown field colour/],
        [{ embedding: [1, 2, 3] }, /embedding must be at least 384 numbers|embedding/],
        [{ embedding: Array.from({ length: 384 }, () => Number.NaN) }, /finite/],
        [{}, /exactly one of text or embedding/],
      ]
      for (const [input, message] of bad) {
        await assert.rejects(findSimilar(store, input as never), (e: Error & { code?: string }) => {
          assert.equal(e.code, 'invalid_input')
          assert.match(e.message, message)
          return true
        })
      }
    }))
})

describe('vector index life cycle', () => {
  it('should add committed rows after the acknowledgement, a slice per event-loop turn', () =>
    withTempDir(async (dir) => {
      const store = await openStore({ path: join(dir, 'learning.duckdb') })
      try {
        const index = await getVectorIndex(store)
        await recordExecutions(store, corpus(600))
        const sizeAtAck = index?.size ?? 0
        assert.ok(sizeAtAck < 600, 'acknowledged before the HNSW inserts')
        await new Promise(setImmediate)
        assert.ok(
          (index?.size ?? 0) > sizeAtAck && (index?.size ?? 0) <= sizeAtAck + 256,
          'one slice per turn',
        )
        const rows = await findSimilar(store, {
          text: String(corpus(1)[0]!.task_description),
          minSimilarity: 0,
        })
        assert.equal(index?.size, 600, 'a search catches up first')
        assert.ok(rows.length > 0)
      } finally {
        await store.close()
      }
    }))

  it('should answer with the values of the latest write of a retried task', () =>
    withStore(async (store) => {
      const [first] = corpus(1)
      await recordExecutions(store, [first!, ...corpus(30).slice(1)])
      const query = { text: String(first!.task_description), minSimilarity: 0, limit: 1 }
      const before = await findSimilarWithPlan(store, query, { forceStrategy: 'ann' })
      assert.equal(before.rows[0]!.task_id, first!.task_id)
      const retried = { ...first!, model_tier: 'large', duration_seconds: 12.5, solution_summary: 'retried' }
      assert.equal((await recordExecutions(store, [retried])).updated, 1)
      const after = await findSimilarWithPlan(store, query, { forceStrategy: 'ann' })
      assert.equal(after.rows[0]!.task_id, first!.task_id)
      assert.equal(after.rows[0]!.model_tier, 'large')
      assert.equal(after.rows[0]!.duration_seconds, 12.5)
      assert.equal(after.rows[0]!.solution_summary, 'retried')
    }))

  it('should drop a task from the index when its latest write has no embedding', () => {
    const index = new VectorIndex({
      quantization: 'f32',
      connectivity: 16,
      expansionAdd: 64,
      expansionSearch: 64,
    })
    const feeder = new IndexFeeder(index)
    const v = validateExecution(execution({ task_description: 'Fix flaky test' }))
    assert.ok(v.ok)
    const stored = {
      ...v.execution,
      embedding: Float32Array.from({ length: 384 }, (_, i) => (i === 0 ? 1 : 0)),
    }
    feeder.push([stored])
    feeder.flush()
    assert.equal(index.size, 1)
    // Within one slice the last write wins, in either direction.
    feeder.push([{ ...stored, embedding: null }, stored])
    feeder.flush()
    assert.equal(index.size, 1)
    feeder.push([stored, { ...stored, embedding: null }])
    feeder.flush()
    assert.equal(index.size, 0)
  })

  it('should persist, reconcile missed commits and orphans, and survive a corrupt file', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'learning.duckdb')
      let store = await openStore({ path })
      await recordExecutions(store, corpus(60))
      const index = await getVectorIndex(store)
      assert.equal(index?.size, 60)
      await recordExecutions(store, corpus(10)) // follows the commit, after the acknowledgement
      assert.equal(await getVectorIndex(store), index, 'the same index, caught up')
      assert.equal(index?.size, 70)
      await store.close()
      assert.ok(existsSync(`${path}.usearch`) && existsSync(`${path}.usearch.json`))

      // Commits while no index is open (a crash between commit and save looks the same), and deletes.
      store = await openStore({ path })
      const extra = corpus(5).map((e) => ({
        ...e,
        task_description: 'Rotate the TLS certificates of the gateway',
      }))
      await recordExecutions(store, extra)
      await store.withWriter((c) => c.run(`DELETE FROM executions WHERE task_description LIKE '%(case 1)'`))
      await store.close()

      store = await openStore({ path })
      const reopened = await getVectorIndex(store)
      assert.equal(reopened?.size, 73)
      const found = await findSimilarWithPlan(
        store,
        { text: 'rotate tls certificates', limit: 5, minSimilarity: 0.5 },
        { forceStrategy: 'ann' },
      )
      assert.equal(found.rows.length, 5)
      assert.equal(await removeFromIndex(store, [found.rows[0]!.task_id]), 1)
      assert.equal(reopened?.size, 72)
      await store.close()

      // A truncated index file is detected, rebuilt from the table with a warning.
      const bytes = readFileSync(`${path}.usearch`)
      writeFileSync(`${path}.usearch`, bytes.subarray(0, bytes.length >> 1))
      const warnings: string[] = []
      const onWarning = (w: Error) => warnings.push(w.message)
      process.on('warning', onWarning)
      store = await openStore({ path })
      try {
        const rebuilt = await getVectorIndex(store)
        await new Promise((r) => setImmediate(r))
        assert.equal(rebuilt?.size, 73)
        assert.ok(
          warnings.some((w) => /damaged|rebuilding/.test(w)),
          warnings.join('\n'),
        )
        const again = await findSimilar(store, {
          text: 'rotate tls certificates',
          limit: 5,
          minSimilarity: 0.5,
        })
        assert.equal(again.length, 5)
      } finally {
        process.off('warning', onWarning)
        await store.close()
      }
    }))
})
