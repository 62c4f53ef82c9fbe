import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { DEFAULTS } from '../src/config.js'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { HashingEmbedder } from '../src/search/hashing-embedder.js'
import { stem, tokenize } from '../src/search/text-tokens.js'
import { WordVectorEmbedder } from '../src/search/word-vector-embedder.js'
import { loadWordVectors, writeWordVectors } from '../src/search/word-vectors.js'
import { WorkerPoolEmbedder } from '../src/search/worker-pool-embedder.js'
import { execution } from './support/executions.js'
import { withStore, withTempDir } from './support/temp-store.js'

const words = loadWordVectors(DEFAULTS.wordVectorsPath)
const builtin = new WordVectorEmbedder(words)
const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0)

describe('builtin embedder', () => {
  it('should split identifiers, drop stop words and stem', () => {
    assert.deepEqual(tokenize('Fix the flaky test in src/jsonParser.ts and HTTPServer_timeout'), [
      'fix',
      'flaky',
      'test',
      'src',
      'json',
      'parser',
      'ts',
      'http',
      'server',
      'timeout',
    ])
    assert.deepEqual(['tests', 'testing', 'tested'].map(stem), ['test', 'test', 'test'])
  })

  it('should return deterministic unit vectors of 384 dimensions', async () => {
    const [a, b] = await builtin.embed(['Fix flaky parser test', 'Fix flaky parser test'])
    assert.equal(a?.length, 384)
    assert.ok(Math.abs(cos(a!, a!) - 1) < 1e-5)
    assert.deepEqual(a, b)
  })

  it('should return null for a text with nothing to embed', async () => {
    assert.deepEqual(await builtin.embed(['', '   ', 'the of and']), [null, null, null])
  })

  it('should rank a paraphrase above an unrelated task, beyond what hashing alone sees', async () => {
    const [q, para, other] = (await builtin.embed([
      'parser unit test fails intermittently',
      'fix flaky test in the parser',
      'deploy the billing service to production',
    ])) as Float32Array[]
    assert.ok(cos(q!, para!) > cos(q!, other!) + 0.1, `${cos(q!, para!)} vs ${cos(q!, other!)}`)
    // Word vectors relate "intermittently" and "flaky", which share no characters.
    const [wq, wp] = (await builtin.embed(['intermittently', 'sporadically'])) as Float32Array[]
    const [hq, hp] = (await new HashingEmbedder().embed(['intermittently', 'sporadically'])) as Float32Array[]
    assert.ok(cos(wq!, wp!) > cos(hq!, hp!) + 0.1)
  })

  it('should refuse a truncated or corrupt word-vector file', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'wv.bin')
      writeWordVectors(path, {
        words: ['alpha', 'beta'],
        dimensions: 2,
        vectors: Float32Array.from([1, 0, 0, 1]),
      })
      const small = loadWordVectors(path, true)
      assert.equal(small.rowOf('beta'), 1)
      assert.equal(small.rowOf('gamma'), -1)
      const bytes = readFileSync(path)
      writeFileSync(path, bytes.subarray(0, bytes.length - 3))
      assert.throws(() => loadWordVectors(path), /truncated/)
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff
      writeFileSync(path, bytes)
      assert.throws(() => loadWordVectors(path, true), /corrupt/)
      assert.throws(() => loadWordVectors(join(dir, 'missing.bin')), /not found/)
    }))
})

describe('worker pool embedder', () => {
  it('should embed a large batch on worker threads with the same result as inline', async () => {
    const spec = { kind: 'builtin' as const, vectorsPath: DEFAULTS.wordVectorsPath }
    const pool = new WorkerPoolEmbedder(spec, builtin, 2)
    try {
      const texts = Array.from({ length: 300 }, (_, i) => `refactor module ${i} of the parser`)
      texts[7] = '   '
      const pooled = await pool.embed(texts)
      const inline = await builtin.embed(texts)
      assert.equal(pool.started, 2)
      assert.equal(pooled[7], null)
      assert.deepEqual(pooled, inline)
      assert.equal((await pool.embed(['small batch'])).length, 1)
    } finally {
      await pool.close()
    }
    await assert.rejects(pool.embed(['x']), /closed/)
  })

  it('should fill embeddings of ingested records through the store', () =>
    withStore(
      async (store) => {
        assert.equal(store.embedder.id, 'builtin-glove100-v1')
        const records = Array.from({ length: 200 }, (_, i) =>
          execution({ task_description: `Fix bug number ${i} in the scheduler` }),
        )
        assert.equal((await recordExecutions(store, records)).inserted, 200)
        const [row] = await store.read((c) =>
          queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions WHERE embedding IS NOT NULL'),
        )
        assert.equal(row?.n, 200)
      },
      { embedThreads: 2 },
    ))
})
