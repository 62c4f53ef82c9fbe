import type { Config } from '../config.js'
import { errorMessage, LearningError } from '../errors.js'
import { mapBounded } from './bounded-map.js'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import type { Embedder } from './embedder.js'
import { normalizeVector } from './unit-vector.js'

/** Settings of the HTTP embedder. */
export interface HttpEmbedderOptions {
  url: string
  api: 'openai' | 'ollama'
  model: string
  apiKey?: string | undefined
  batchSize: number
  concurrency: number
  timeoutMs: number
  retries: number
}

/**
 * Embeds through an OpenAI-compatible `/v1/embeddings` or an Ollama `/api/embed` endpoint: batched,
 * a bounded number of requests in flight, each with a timeout and retried with exponential backoff.
 * The dimension is discovered on the first answer; it must be 384 (the `embedding` column is FLOAT[384]).
 */
export class HttpEmbedder implements Embedder {
  readonly id: string
  readonly #options: HttpEmbedderOptions
  readonly #endpoint: string
  #dimensions: number | undefined

  constructor(options: HttpEmbedderOptions) {
    this.#options = options
    this.id = `http:${options.api}:${options.model}`
    const base = options.url.replace(/\/+$/, '')
    const path = options.api === 'openai' ? '/v1/embeddings' : '/api/embed'
    this.#endpoint = base.endsWith(path) ? base : `${base}${path}`
  }

  /** The HTTP embedder the config describes; refuses a missing or malformed URL. */
  static fromConfig(config: Config): HttpEmbedder {
    const url = config.embedderUrl
    if (!url || !/^https?:\/\/[^\s]+$/.test(url))
      throw new LearningError(
        'invalid_input',
        `embedder 'http' needs embedderUrl (env ORB_LEARNING_EMBEDDER_URL) as an http(s) URL, got ${JSON.stringify(url ?? null)}`,
      )
    return new HttpEmbedder({
      url,
      api: config.embedderApi,
      model: config.embedderModel,
      apiKey: config.embedderApiKey,
      batchSize: config.embedderBatchSize,
      concurrency: config.embedderConcurrency,
      timeoutMs: config.embedderTimeoutMs,
      retries: config.embedderRetries,
    })
  }

  /** Dimension reported by the endpoint (384 until the first answer). */
  get dimensions(): number {
    return this.#dimensions ?? EMBEDDING_DIMENSIONS
  }

  async embed(texts: readonly string[]): Promise<(Float32Array | null)[]> {
    const out: (Float32Array | null)[] = texts.map(() => null)
    const wanted = texts.flatMap((t, i) => (t.trim().length > 0 ? [i] : []))
    const batches: number[][] = []
    for (let i = 0; i < wanted.length; i += this.#options.batchSize)
      batches.push(wanted.slice(i, i + this.#options.batchSize))
    await mapBounded(batches, this.#options.concurrency, async (batch) => {
      const vectors = await this.#request(batch.map((i) => texts[i]!))
      batch.forEach((index, j) => {
        out[index] = normalizeVector(this.#checkDimension(vectors[j]!))
      })
    })
    return out
  }

  #checkDimension(vector: Float32Array): Float32Array {
    this.#dimensions ??= vector.length
    if (vector.length !== EMBEDDING_DIMENSIONS || vector.length !== this.#dimensions)
      throw new LearningError(
        'conflict',
        `model '${this.#options.model}' at ${this.#endpoint} returns ${vector.length}-dimensional vectors; the embedding column holds ${EMBEDDING_DIMENSIONS}`,
      )
    return vector
  }

  async #request(input: string[]): Promise<Float32Array[]> {
    let lastError: unknown
    for (let attempt = 0; attempt <= this.#options.retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(5_000, 100 * 2 ** (attempt - 1)))
      try {
        const response = await fetch(this.#endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.#options.apiKey ? { authorization: `Bearer ${this.#options.apiKey}` } : {}),
          },
          body: JSON.stringify({ model: this.#options.model, input }),
          signal: AbortSignal.timeout(this.#options.timeoutMs),
        })
        if (!response.ok) {
          const detail = (await response.text()).slice(0, 200)
          const error = new LearningError(
            'unavailable',
            `embedding endpoint ${this.#endpoint} answered ${response.status}: ${detail}`,
          )
          if (response.status === 429 || response.status >= 500) {
            lastError = error
            continue
          }
          throw error
        }
        return parseVectors(await response.json(), this.#options.api, input.length, this.#endpoint)
      } catch (error) {
        if (error instanceof LearningError && error.code !== 'unavailable') throw error
        if (error instanceof LearningError && !/answered (429|5\d\d)/.test(error.message)) throw error
        lastError = error
      }
    }
    throw new LearningError(
      'unavailable',
      `embedding endpoint ${this.#endpoint} failed after ${this.#options.retries + 1} attempts: ${errorMessage(lastError)}`,
      { cause: lastError },
    )
  }
}

function parseVectors(
  body: unknown,
  api: 'openai' | 'ollama',
  count: number,
  endpoint: string,
): Float32Array[] {
  const rows =
    api === 'openai'
      ? ((body as { data?: { index?: number; embedding?: unknown }[] }).data ?? [])
          .slice()
          .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
          .map((d) => d.embedding)
      : ((body as { embeddings?: unknown[] }).embeddings ?? [])
  if (rows.length !== count || !rows.every(isNumberArray))
    throw new LearningError(
      'internal',
      `embedding endpoint ${endpoint} returned a malformed answer (${count} texts sent)`,
    )
  return rows.map((r) => Float32Array.from(r))
}

function isNumberArray(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((x) => typeof x === 'number' && Number.isFinite(x))
  )
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
