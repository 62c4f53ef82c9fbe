import type { Embedder } from './embedder.js'

/** Wraps an embedder with an LRU cache keyed by text, so repeated texts are embedded once. */
export class CachedEmbedder implements Embedder {
  readonly #inner: Embedder
  readonly #capacity: number
  readonly #cache = new Map<string, Float32Array | null>()

  constructor(inner: Embedder, capacity: number) {
    this.#inner = inner
    this.#capacity = capacity
  }

  get id(): string {
    return this.#inner.id
  }

  get dimensions(): number {
    return this.#inner.dimensions
  }

  close(): Promise<void> {
    return this.#inner.close?.() ?? Promise.resolve()
  }

  async embed(texts: readonly string[]): Promise<(Float32Array | null)[]> {
    const out: (Float32Array | null)[] = new Array(texts.length)
    const missing: number[] = []
    texts.forEach((text, i) => {
      const hit = this.#cache.get(text)
      if (hit === undefined) {
        missing.push(i)
        return
      }
      // Re-insert to mark as most recently used.
      this.#cache.delete(text)
      this.#cache.set(text, hit)
      out[i] = hit
    })
    if (missing.length > 0) {
      const vectors = await this.#inner.embed(missing.map((i) => texts[i]!))
      missing.forEach((index, j) => {
        const vector = vectors[j] ?? null
        out[index] = vector
        this.#remember(texts[index]!, vector)
      })
    }
    return out
  }

  #remember(text: string, vector: Float32Array | null): void {
    if (this.#capacity <= 0) return
    this.#cache.set(text, vector)
    if (this.#cache.size > this.#capacity) this.#cache.delete(this.#cache.keys().next().value!)
  }
}
