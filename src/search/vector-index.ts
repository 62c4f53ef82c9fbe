import usearch from 'usearch'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import { type IndexMeta, saveIndexFiles } from './index-files.js'
import { vectorKey } from './vector-key.js'

const { Index, MetricKind, ScalarKind } = usearch

/** HNSW parameters of a vector index. */
export interface VectorIndexOptions {
  quantization: 'f32' | 'i8'
  connectivity: number
  expansionAdd: number
  expansionSearch: number
  /** Threads usearch may use for batch adds (0 = all cores). */
  threads?: number
}

/** One ANN hit: the execution and its approximate cosine similarity. */
export interface IndexHit {
  task_id: string
  similarity: number
}

/**
 * An in-memory HNSW index (usearch, cosine) over execution embeddings, keyed by the first 64 bits of
 * task_id; it maps keys back to task_ids itself. Persisted beside the database by `save`.
 */
export class VectorIndex {
  readonly options: VectorIndexOptions
  readonly #index: InstanceType<typeof Index>
  readonly #ids = new Map<bigint, string>()
  #changes = 0

  constructor(options: VectorIndexOptions) {
    this.options = options
    this.#index = new Index({
      dimensions: EMBEDDING_DIMENSIONS,
      metric: MetricKind.Cos,
      quantization: options.quantization === 'i8' ? ScalarKind.I8 : ScalarKind.F32,
      connectivity: options.connectivity,
      expansion_add: options.expansionAdd,
      expansion_search: options.expansionSearch,
      multi: false,
    })
  }

  /** Entries in the index. */
  get size(): number {
    return this.#ids.size
  }

  /** Adds and removes since the last save. */
  get unsavedChanges(): number {
    return this.#changes
  }

  /** Load a saved usearch file into this (empty) index; `keys` are the task keys it holds. */
  loadFile(path: string, keys: BigUint64Array): void {
    this.#index.load(path)
    if (Number(this.#index.size()) !== keys.length)
      throw new Error(`index holds ${this.#index.size()} vectors, its key list ${keys.length}`)
  }

  /** Whether the usearch index holds each key (used by reconcile). */
  containsKeys(keys: BigUint64Array): boolean[] {
    if (keys.length === 0) return []
    return this.#index.contains(keys) as boolean[]
  }

  /** Record that `key` belongs to `taskId` without touching the vectors (reconcile after load). */
  bindKey(key: bigint, taskId: string): void {
    this.#ids.set(key, taskId)
  }

  /** Remove raw keys (orphans found at reconcile). */
  removeKeys(keys: readonly bigint[]): void {
    for (const key of keys) {
      if (this.#index.contains(key)) this.#index.remove(key)
      this.#ids.delete(key)
    }
    this.#changes += keys.length
  }

  /** Add or replace the vectors of these executions (`vectors` row-major, 384 per id). */
  upsert(taskIds: readonly string[], vectors: Float32Array): void {
    if (taskIds.length === 0) return
    const keys = new BigUint64Array(taskIds.length)
    const seen = new Set<bigint>()
    const keep: number[] = []
    // The last vector of a repeated id wins; earlier entries of the same key are replaced.
    for (let i = taskIds.length - 1; i >= 0; i--) {
      const key = vectorKey(taskIds[i]!)
      if (seen.has(key)) continue
      seen.add(key)
      keep.push(i)
    }
    keep.reverse()
    const packed =
      keep.length === taskIds.length ? vectors : new Float32Array(keep.length * EMBEDDING_DIMENSIONS)
    keep.forEach((i, j) => {
      const key = vectorKey(taskIds[i]!)
      keys[j] = key
      if (this.#ids.has(key)) this.#index.remove(key)
      this.#ids.set(key, taskIds[i]!)
      if (packed !== vectors)
        packed.set(
          vectors.subarray(i * EMBEDDING_DIMENSIONS, (i + 1) * EMBEDDING_DIMENSIONS),
          j * EMBEDDING_DIMENSIONS,
        )
    })
    this.#index.add(keys.subarray(0, keep.length), packed, this.options.threads ?? 0)
    this.#changes += keep.length
  }

  /** Remove executions by task_id; returns how many were in the index. */
  remove(taskIds: readonly string[]): number {
    let removed = 0
    for (const id of taskIds) {
      const key = vectorKey(id.toLowerCase())
      if (!this.#ids.has(key)) continue
      this.#index.remove(key)
      this.#ids.delete(key)
      removed++
    }
    this.#changes += removed
    return removed
  }

  /** The `k` approximate nearest executions of a unit query vector. */
  search(query: Float32Array, k: number): IndexHit[] {
    if (this.#ids.size === 0 || k <= 0) return []
    const found = this.#index.search(query, Math.min(k, this.#ids.size), 0)
    const hits: IndexHit[] = []
    for (let i = 0; i < found.keys.length; i++) {
      const taskId = this.#ids.get(found.keys[i]!)
      if (taskId !== undefined) hits.push({ task_id: taskId, similarity: 1 - found.distances[i]! })
    }
    return hits
  }

  /** Save atomically beside the database file. */
  save(dbPath: string, embedderId: string): void {
    const keys = BigUint64Array.from(this.#ids.keys())
    const meta: Omit<IndexMeta, 'index_bytes' | 'checksum' | 'format'> = {
      embedder_id: embedderId,
      quantization: this.options.quantization,
      connectivity: this.options.connectivity,
      count: keys.length,
    }
    saveIndexFiles(dbPath, (path) => this.#index.save(path), keys, meta)
    this.#changes = 0
  }
}
