import type { Residual } from './description-offset.js'
import type { Neighbour } from './knn-evidence.js'

interface Slot {
  model_tier: string
  pool_type: string
  success: boolean
  actual_cost: number
  duration_seconds: number
  timestamp: number
  complexity_score?: number | null
  /** The pooled groups' prediction for this option when the outcome arrived (for the description offset). */
  predicted?: number
}

/**
 * The most recent executions of each task type with their unit embeddings, in fixed-size ring buffers,
 * searched by brute-force inner product: bounded work per request whatever the table size.
 */
export class RecentMemory {
  readonly #capacity: number
  readonly #dimensions: number
  readonly #byType = new Map<
    string,
    { vectors: Float32Array; slots: Slot[]; next: number; size: number; added: number }
  >()

  constructor(capacity: number, dimensions: number) {
    this.#capacity = capacity
    this.#dimensions = dimensions
  }

  /** Remember one execution (oldest of its task type is forgotten when full). */
  add(taskType: string, embedding: Float32Array | null, slot: Slot): void {
    if (this.#capacity === 0 || embedding === null || embedding.length !== this.#dimensions) return
    let ring = this.#byType.get(taskType)
    if (!ring) {
      ring = {
        vectors: new Float32Array(this.#capacity * this.#dimensions),
        slots: [],
        next: 0,
        size: 0,
        added: 0,
      }
      this.#byType.set(taskType, ring)
    }
    ring.vectors.set(embedding, ring.next * this.#dimensions)
    ring.slots[ring.next] = slot
    ring.next = (ring.next + 1) % this.#capacity
    ring.size = Math.min(this.#capacity, ring.size + 1)
    ring.added++
  }

  /** Executions of the task type remembered so far (changes whenever its memory does). */
  version(taskType: string): number {
    return this.#byType.get(taskType)?.added ?? 0
  }

  /** The `limit` most similar remembered executions of the task type (inner product of unit vectors). */
  nearest(taskType: string, query: Float32Array, limit: number, minSimilarity: number): Neighbour[] {
    const ring = this.#byType.get(taskType)
    if (!ring || limit === 0) return []
    const d = this.#dimensions
    const top: { sim: number; i: number }[] = []
    let floor = minSimilarity
    for (let i = 0; i < ring.size; i++) {
      const sim = dot(ring.vectors, i * d, query, d)
      if (sim < floor) continue
      top.push({ sim, i })
      if (top.length > limit * 2) {
        top.sort((a, b) => b.sim - a.sim)
        top.length = limit
        floor = top[limit - 1]!.sim
      }
    }
    top.sort((a, b) => b.sim - a.sim)
    return top.slice(0, limit).map(({ sim, i }) => ({ similarity: sim, ...ring.slots[i]! }))
  }

  /**
   * The `limit` most similar remembered executions of the task type (ties to the more recent), each with
   * its recency = 2^(−(executions of the type since)/recencyHalfLife).
   */
  nearestRecent(
    taskType: string,
    query: Float32Array,
    limit: number,
    minSimilarity: number,
    recencyHalfLife: number,
  ): Neighbour[] {
    const ring = this.#byType.get(taskType)
    if (!ring || limit === 0) return []
    const d = this.#dimensions
    const top: { score: number; sim: number; recency: number; i: number }[] = []
    // Once `limit` candidates are kept, anything scoring below the last of them cannot enter.
    let floor = minSimilarity
    for (let i = 0; i < ring.size; i++) {
      const sim = dot(ring.vectors, i * d, query, d)
      if (sim < floor) continue
      const age = (ring.next - 1 - i + this.#capacity) % this.#capacity
      const recency = 2 ** (-age / recencyHalfLife)
      top.push({ score: sim + 1e-6 * recency, sim, recency, i })
      if (top.length > limit * 2) {
        top.sort((a, b) => b.score - a.score)
        top.length = limit
        // The score adds at most 1e-6 to the similarity.
        floor = Math.max(floor, top[limit - 1]!.score - 1e-6)
      }
    }
    top.sort((a, b) => b.score - a.score)
    return top.slice(0, limit).map(({ sim, recency, i }) => ({ similarity: sim, recency, ...ring.slots[i]! }))
  }

  /**
   * Every remembered execution of the task type that carries its pooled prediction, as a residual weighted
   * by recency 2^(−(executions of the type since)/recencyHalfLife).
   */
  residuals(taskType: string, recencyHalfLife: number): Residual[] {
    const ring = this.#byType.get(taskType)
    if (!ring) return []
    const out: Residual[] = []
    for (let i = 0; i < ring.size; i++) {
      const slot = ring.slots[i]!
      if (slot.predicted === undefined) continue
      const age = (ring.next - 1 - i + this.#capacity) % this.#capacity
      out.push({
        predicted: slot.predicted,
        outcome: slot.success ? 1 : 0,
        weight: 2 ** (-age / recencyHalfLife),
      })
    }
    return out
  }

  /** Executions remembered, over all task types. */
  get size(): number {
    let n = 0
    for (const ring of this.#byType.values()) n += ring.size
    return n
  }
}

/** Inner product of `query` with the vector at `base` in `vectors`; four running sums let V8 pipeline the loop. */
function dot(vectors: Float32Array, base: number, query: Float32Array, d: number): number {
  let s0 = 0
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let j = 0
  for (; j + 3 < d; j += 4) {
    s0 += vectors[base + j]! * query[j]!
    s1 += vectors[base + j + 1]! * query[j + 1]!
    s2 += vectors[base + j + 2]! * query[j + 2]!
    s3 += vectors[base + j + 3]! * query[j + 3]!
  }
  for (; j < d; j++) s0 += vectors[base + j]! * query[j]!
  return s0 + s1 + s2 + s3
}
