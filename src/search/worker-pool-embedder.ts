import { Worker } from 'node:worker_threads'
import { LearningError } from '../errors.js'
import type { EmbedRequest, EmbedResponse } from './embed-worker.js'
import type { Embedder } from './embedder.js'
import type { EmbedderSpec } from './embedder-spec.js'

/** Below this many texts a batch is embedded inline: a round trip to a worker costs more than it saves. */
export const INLINE_BATCH_LIMIT = 128
const MAX_CHUNK = 2_000

interface Pending {
  resolve: (vectors: (Float32Array | null)[]) => void
  reject: (error: Error) => void
  count: number
  worker: Worker
}

/**
 * Embeds large batches on a pool of worker threads (each builds the same embedder from `spec`),
 * so that ingest uses every core; small batches run inline on `inline`. Workers start on first use.
 */
export class WorkerPoolEmbedder implements Embedder {
  readonly #spec: EmbedderSpec
  readonly #inline: Embedder
  readonly #size: number
  readonly #workers: Worker[] = []
  readonly #idle: Worker[] = []
  readonly #waiting: (() => void)[] = []
  readonly #pending = new Map<number, Pending>()
  #nextId = 0
  #closed = false

  constructor(spec: EmbedderSpec, inline: Embedder, threads: number) {
    this.#spec = spec
    this.#inline = inline
    this.#size = Math.max(1, Math.floor(threads))
  }

  get id(): string {
    return this.#inline.id
  }

  get dimensions(): number {
    return this.#inline.dimensions
  }

  /** Number of worker threads started so far. */
  get started(): number {
    return this.#workers.length
  }

  async embed(texts: readonly string[]): Promise<(Float32Array | null)[]> {
    if (this.#closed) throw new LearningError('unavailable', 'the embedder is closed')
    if (texts.length < INLINE_BATCH_LIMIT) return this.#inline.embed(texts)
    const chunk = Math.min(MAX_CHUNK, Math.ceil(texts.length / this.#size))
    const parts: Promise<(Float32Array | null)[]>[] = []
    for (let start = 0; start < texts.length; start += chunk)
      parts.push(this.#run(texts.slice(start, start + chunk)))
    return (await Promise.all(parts)).flat()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    for (const pending of this.#pending.values())
      pending.reject(new LearningError('unavailable', 'the embedder was closed'))
    this.#pending.clear()
    await Promise.all(this.#workers.map((w) => w.terminate()))
    await this.#inline.close?.()
  }

  async #run(texts: string[]): Promise<(Float32Array | null)[]> {
    const worker = await this.#acquire()
    // An idle worker must not keep the process alive; a busy one must, until its answer arrives.
    worker.ref()
    try {
      return await new Promise((resolve, reject) => {
        const id = this.#nextId++
        this.#pending.set(id, { resolve, reject, count: texts.length, worker })
        const request: EmbedRequest = { id, texts }
        worker.postMessage(request)
      })
    } finally {
      worker.unref()
      this.#release(worker)
    }
  }

  async #acquire(): Promise<Worker> {
    for (;;) {
      const idle = this.#idle.pop()
      if (idle) return idle
      if (this.#workers.length < this.#size) return this.#start()
      await new Promise<void>((resolve) => this.#waiting.push(resolve))
    }
  }

  #release(worker: Worker): void {
    if (!this.#workers.includes(worker)) return
    this.#idle.push(worker)
    this.#waiting.shift()?.()
  }

  #start(): Worker {
    const worker = spawnWorker(this.#spec)
    worker.unref()
    this.#workers.push(worker)
    worker.on('message', (response: EmbedResponse) => this.#settle(response))
    worker.on('error', (error) => this.#fail(worker, error))
    worker.on('exit', (code) => {
      if (!this.#closed) this.#fail(worker, new Error(`embedding worker exited with code ${code}`))
    })
    return worker
  }

  #settle(response: EmbedResponse): void {
    const pending = this.#pending.get(response.id)
    if (!pending) return
    this.#pending.delete(response.id)
    if (!response.ok) {
      pending.reject(new LearningError('internal', `embedding worker failed: ${response.error}`))
      return
    }
    const dims = this.dimensions
    const out: (Float32Array | null)[] = []
    for (let i = 0; i < pending.count; i++)
      out.push(response.present[i] ? response.data.subarray(i * dims, (i + 1) * dims) : null)
    pending.resolve(out)
  }

  #fail(worker: Worker, error: Error): void {
    // A dead worker's requests cannot be answered: fail them all and let the next call start a new one.
    const index = this.#workers.indexOf(worker)
    if (index >= 0) this.#workers.splice(index, 1)
    const idle = this.#idle.indexOf(worker)
    if (idle >= 0) this.#idle.splice(idle, 1)
    for (const [id, pending] of this.#pending) {
      if (pending.worker !== worker) continue
      this.#pending.delete(id)
      pending.reject(
        new LearningError('internal', `embedding worker failed: ${error.message}`, { cause: error }),
      )
    }
    this.#waiting.shift()?.()
  }
}

/** Start a worker on embed-worker; under tsx (tests, benches) the .ts source is loaded through tsx's loader. */
function spawnWorker(spec: EmbedderSpec): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = new URL(fromSource ? './embed-worker.ts' : './embed-worker.js', import.meta.url)
  if (!fromSource) return new Worker(entry, { workerData: { spec } })
  const tsx = import.meta.resolve('tsx/esm/api')
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}) })`
  return new Worker(boot, { eval: true, workerData: { spec } })
}
