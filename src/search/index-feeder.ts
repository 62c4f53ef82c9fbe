import type { Execution } from '../record.js'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import { indexedRow, type VectorIndex } from './vector-index.js'

/** Vectors added to the index per event-loop turn while catching up. */
const SLICE = 256

/**
 * Feeds committed executions into the vector index after their writers were acknowledged: a commit only
 * queues its rows, and they are added a slice per event-loop turn, so HNSW inserts never hold up a write
 * nor stall the loop. `flush()` catches up at once; searches call it first, so they see every commit.
 */
export class IndexFeeder {
  readonly #index: VectorIndex
  #pending: Execution[] = []
  #scheduled = false

  constructor(index: VectorIndex) {
    this.#index = index
  }

  /** Rows waiting to be added. */
  get pending(): number {
    return this.#pending.length
  }

  /** Queue committed executions (those without an embedding are skipped). */
  push(written: readonly Execution[]): void {
    for (const e of written) if (e.embedding !== null) this.#pending.push(e)
    if (this.#pending.length > 0 && !this.#scheduled) {
      this.#scheduled = true
      setImmediate(this.#step)
    }
  }

  /** Add everything queued now. */
  flush(): void {
    this.#add(this.#pending.length)
  }

  readonly #step = () => {
    this.#scheduled = false
    this.#add(SLICE)
    if (this.#pending.length > 0) {
      this.#scheduled = true
      setImmediate(this.#step)
    }
  }

  #add(count: number): void {
    if (count === 0) return
    const batch = this.#pending.splice(0, count)
    const vectors = new Float32Array(batch.length * EMBEDDING_DIMENSIONS)
    batch.forEach((e, i) => {
      vectors.set(e.embedding!, i * EMBEDDING_DIMENSIONS)
    })
    this.#index.upsert(batch.map(indexedRow), vectors)
  }
}
