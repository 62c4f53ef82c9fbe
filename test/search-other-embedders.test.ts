import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { resolveConfig } from '../src/config.js'
import { createEmbedder } from '../src/search/create-embedder.js'
import { HttpEmbedder } from '../src/search/http-embedder.js'
import { createMiniLmEmbedder, meanPoolNormalize } from '../src/search/minilm-embedder.js'
import { withTempDir } from './support/temp-store.js'

/** A local embeddings endpoint: OpenAI or Ollama shape, optional failures first, records requests. */
async function withEmbeddingServer<T>(
  options: { failFirst?: number; dims?: number; status?: number },
  fn: (url: string, requests: { path: string; auth?: string; input: string[] }[]) => Promise<T>,
): Promise<T> {
  const requests: { path: string; auth?: string; input: string[] }[] = []
  let failures = options.failFirst ?? 0
  const server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += String(chunk)
    const { input } = JSON.parse(body) as { input: string[] }
    requests.push({
      path: req.url ?? '',
      ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
      input,
    })
    if (failures-- > 0) {
      res.writeHead(options.status ?? 503).end('busy')
      return
    }
    const vectors = input.map((text) =>
      Array.from({ length: options.dims ?? 384 }, (_, d) => (d === text.length % 384 ? 3 : 0.001)),
    )
    res.setHeader('content-type', 'application/json')
    res.end(
      JSON.stringify(
        req.url === '/api/embed'
          ? { embeddings: vectors }
          : { data: vectors.map((embedding, index) => ({ index, embedding })).reverse() },
      ),
    )
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests)
  } finally {
    server.close()
  }
}

const base = { api: 'openai' as const, model: 'm', batchSize: 2, concurrency: 2, timeoutMs: 2000, retries: 2 }

describe('http embedder', () => {
  it('should batch, keep order, normalise and send the API key (OpenAI shape)', () =>
    withEmbeddingServer({}, async (url, requests) => {
      const embedder = new HttpEmbedder({ ...base, url, apiKey: 'k1' })
      const out = await embedder.embed(['a', 'bb', '  ', 'ccc', 'dddd'])
      assert.equal(out[2], null)
      assert.equal(
        out[1]![2],
        out[1]!.reduce((m, x) => Math.max(m, x), 0),
      )
      assert.ok(Math.abs(out[0]!.reduce((s, x) => s + x * x, 0) - 1) < 1e-5)
      assert.equal(requests.length, 2)
      assert.ok(requests.every((r) => r.path === '/v1/embeddings' && r.auth === 'Bearer k1'))
      assert.equal(embedder.dimensions, 384)
      assert.equal(embedder.id, 'http:openai:m')
    }))

  it('should speak the Ollama shape and retry 503 with backoff', () =>
    withEmbeddingServer({ failFirst: 2 }, async (url, requests) => {
      const embedder = new HttpEmbedder({ ...base, url, api: 'ollama', batchSize: 10 })
      const [v] = await embedder.embed(['hello'])
      assert.equal(v?.length, 384)
      assert.equal(requests.length, 3)
      assert.equal(requests[0]?.path, '/api/embed')
    }))

  it('should fail clearly on 4xx, exhausted retries, a wrong dimension and a bad URL', async () => {
    await withEmbeddingServer({ failFirst: 1, status: 401 }, async (url, requests) => {
      await assert.rejects(new HttpEmbedder({ ...base, url }).embed(['x']), /answered 401/)
      assert.equal(requests.length, 1)
    })
    await withEmbeddingServer({ failFirst: 10 }, async (url) => {
      await assert.rejects(
        new HttpEmbedder({ ...base, url, retries: 1 }).embed(['x']),
        /failed after 2 attempts/,
      )
    })
    await withEmbeddingServer({ dims: 768 }, async (url) => {
      await assert.rejects(new HttpEmbedder({ ...base, url }).embed(['x']), /768-dimensional.*384/)
    })
    await assert.rejects(createEmbedder(resolveConfig({ embedder: 'http' })), /embedderUrl/)
    await assert.rejects(
      createEmbedder(resolveConfig({ embedder: 'http', embedderUrl: 'ftp://x' })),
      /embedderUrl/,
    )
  })
})

describe('minilm embedder', () => {
  it('should mean-pool over the attention mask and L2-normalise', () => {
    // batch 2, 3 tokens, 2 dims; the second text's last token is padding.
    const hidden = Float32Array.from([1, 0, 3, 0, 2, 0, 0, 1, 0, 3, 100, 100])
    const [a, b] = meanPoolNormalize(hidden, [1, 1, 1, 1, 1, 0].map(BigInt), [2, 3, 2])
    assert.deepEqual(Array.from(a!), [1, 0])
    assert.deepEqual(Array.from(b!), [0, 1])
  })

  it('should say what is missing: the model directory, its files, or the optional package', () =>
    withTempDir(async (dir) => {
      await assert.rejects(createMiniLmEmbedder(undefined), /ORB_LEARNING_MODEL_DIR/)
      await assert.rejects(createEmbedder(resolveConfig({ embedder: 'minilm' })), /modelDir/)
      await assert.rejects(
        createMiniLmEmbedder(dir),
        /lacks config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model\.onnx/,
      )
      mkdirSync(join(dir, 'onnx'))
      for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx'])
        writeFileSync(join(dir, f), '{}')
      await assert.rejects(
        createMiniLmEmbedder(dir),
        /ONNXRUNTIME_NODE_INSTALL=skip npm i @huggingface\/transformers/,
      )
    }))
})
