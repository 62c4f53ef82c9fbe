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

  /** Queue committed executions (one without an embedding leaves the index: a retry may have dropped it). */
  push(written: readonly Execution[]): void {
    for (const e of written) this.#pending.push(e)
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
    // The last write of a task in the slice decides whether it is in the index, and with which values.
    const last = new Map<string, Execution>()
    for (const e of this.#pending.splice(0, count)) last.set(e.task_id, e)
    const writes = [...last.values()]
    const batch = writes.filter((e) => e.embedding !== null)
    if (batch.length < writes.length)
      this.#index.remove(writes.filter((e) => e.embedding === null).map((e) => e.task_id))
    const vectors = new Float32Array(batch.length * EMBEDDING_DIMENSIONS)
    batch.forEach((e, i) => {
      vectors.set(e.embedding!, i * EMBEDDING_DIMENSIONS)
    })
    this.#index.upsert(batch.map(indexedRow), vectors)
  }
}
