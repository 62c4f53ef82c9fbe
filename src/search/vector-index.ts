import usearch from 'usearch'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import { type IndexMeta, saveIndexFiles } from './index-files.js'
import { vectorKey } from './vector-key.js'

const { Index, MetricKind, ScalarKind } = usearch

/**
 * Below this many vectors the index adds on one thread. Concurrent inserts into a small graph can leave a
 * vector that no search reaches: with 400 near-duplicate task vectors added on 2 threads, 1 % of searches
 * missed a true top-5 row even with a walk wider than the index; added serially, 0 of 600 did. Serial adds
 * are slower (20,000 vectors: 51 s on one thread, 43 s on two, on a busy machine), so only a small graph's
 * first vectors take that path; the planner answers stores under 20,000 rows by exact scan anyway.
 */
const SERIAL_ADD_BELOW = 5_000

/** HNSW parameters of a vector index. */
export interface VectorIndexOptions {
  quantization: 'f32' | 'i8'
  connectivity: number
  expansionAdd: number
  expansionSearch: number
  /** Threads usearch may use for batch adds (0 = all cores). */
  threads?: number
}

/**
 * What the index holds of an execution besides its vector: the columns search filters on and those a
 * result shows, so that a query with an f32 index is answered from memory (~350 bytes a row).
 */
export interface IndexedRow {
  task_id: string
  repo: string
  task_type: string
  success: boolean
  /** Epoch milliseconds of the execution's timestamp. */
  time: number
  model_tier: string
  pool_type: string
  /** As stored: a FLOAT, so the float32 nearest the recorded value. */
  duration_seconds: number
  quality_score: number | null
  task_description: string
  solution_summary: string | null
}

/** The SELECT list that reads an `IndexedRow` from `executions`. */
export const INDEXED_ROW_COLUMNS = `task_id::VARCHAR AS task_id, repo, task_type, success, epoch_ms(timestamp) AS time,
  model_tier, pool_type, duration_seconds, quality_score, task_description, solution_summary`

/** The `IndexedRow` of an execution. */
export function indexedRow(e: Omit<IndexedRow, 'time'> & { timestamp: Date }): IndexedRow {
  return {
    task_id: e.task_id,
    repo: e.repo,
    task_type: e.task_type,
    success: e.success,
    time: e.timestamp.getTime(),
    model_tier: e.model_tier,
    pool_type: e.pool_type,
    duration_seconds: Math.fround(e.duration_seconds),
    quality_score: e.quality_score,
    task_description: e.task_description,
    solution_summary: e.solution_summary,
  }
}

/** One ANN hit: the execution and its cosine similarity (exact for f32, approximate for i8). */
export interface IndexHit {
  row: IndexedRow
  similarity: number
}

/**
 * An in-memory HNSW index (usearch, cosine) over execution embeddings, keyed by the first 64 bits of
 * task_id; it maps keys back to the rows' `IndexedRow`, so that searches never wait for the database.
 * Persisted beside the database by `save` (the rows are re-read at open).
 */
export class VectorIndex {
  readonly options: VectorIndexOptions
  readonly #index: InstanceType<typeof Index>
  readonly #rows = new Map<bigint, IndexedRow>()
  // Repos, task types, tiers and pools repeat: one string each instead of one per row.
  readonly #names = new Map<string, string>()
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
    return this.#rows.size
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

  /** Record that `key` belongs to `row` without touching the vectors (reconcile after load). */
  bindKey(key: bigint, row: IndexedRow): void {
    this.#rows.set(key, this.#intern(row))
  }

  /** Remove raw keys (orphans found at reconcile). */
  removeKeys(keys: readonly bigint[]): void {
    for (const key of keys) {
      if (this.#index.contains(key)) this.#index.remove(key)
      this.#rows.delete(key)
    }
    this.#changes += keys.length
  }

  /** Add or replace the vectors of these executions (`vectors` row-major, 384 per row). */
  upsert(rows: readonly IndexedRow[], vectors: Float32Array): void {
    if (rows.length === 0) return
    const taskIds = rows.map((r) => r.task_id)
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
      if (this.#rows.has(key)) this.#index.remove(key)
      this.#rows.set(key, this.#intern(rows[i]!))
      if (packed !== vectors)
        packed.set(
          vectors.subarray(i * EMBEDDING_DIMENSIONS, (i + 1) * EMBEDDING_DIMENSIONS),
          j * EMBEDDING_DIMENSIONS,
        )
    })
    this.#add(keys.subarray(0, keep.length), packed)
    this.#changes += keep.length
  }

  /** Remove executions by task_id; returns how many were in the index. */
  remove(taskIds: readonly string[]): number {
    let removed = 0
    for (const id of taskIds) {
      const key = vectorKey(id.toLowerCase())
      if (!this.#rows.has(key)) continue
      this.#index.remove(key)
      this.#rows.delete(key)
      removed++
    }
    this.#changes += removed
    return removed
  }

  /**
   * The `k` approximate nearest executions of a unit query vector, of which those `keep` accepts are
   * returned, most similar first; `found` and `farthest` (the k-th similarity) say whether a larger `k`
   * could find more.
   */
  search(
    query: Float32Array,
    k: number,
    keep?: (row: IndexedRow) => boolean,
  ): { hits: IndexHit[]; found: number; farthest: number } {
    if (this.#rows.size === 0 || k <= 0) return { hits: [], found: 0, farthest: -1 }
    const found = this.#index.search(query, Math.min(k, this.#rows.size), 0)
    const hits: IndexHit[] = []
    for (let i = 0; i < found.keys.length; i++) {
      const row = this.#rows.get(found.keys[i]!)
      if (row !== undefined && (keep === undefined || keep(row)))
        hits.push({ row, similarity: 1 - found.distances[i]! })
    }
    const last = found.distances.at(-1)
    return { hits, found: found.keys.length, farthest: last === undefined ? -1 : 1 - last }
  }

  /** Save atomically beside the database file. */
  save(dbPath: string, embedderId: string): void {
    const keys = BigUint64Array.from(this.#rows.keys())
    const meta: Omit<IndexMeta, 'index_bytes' | 'checksum' | 'format'> = {
      embedder_id: embedderId,
      quantization: this.options.quantization,
      connectivity: this.options.connectivity,
      count: keys.length,
    }
    saveIndexFiles(dbPath, (path) => this.#index.save(path), keys, meta)
    this.#changes = 0
  }

  /** Add the first vectors of a small index serially (see `SERIAL_ADD_BELOW`), the rest on all threads. */
  #add(keys: BigUint64Array, vectors: Float32Array): void {
    const serial = Math.min(keys.length, Math.max(0, SERIAL_ADD_BELOW - Number(this.#index.size())))
    if (serial > 0)
      this.#index.add(keys.subarray(0, serial), vectors.subarray(0, serial * EMBEDDING_DIMENSIONS), 1)
    if (serial < keys.length)
      this.#index.add(
        keys.subarray(serial),
        vectors.subarray(serial * EMBEDDING_DIMENSIONS),
        this.options.threads ?? 0,
      )
  }

  #intern(row: IndexedRow): IndexedRow {
    return {
      ...row,
      repo: this.#name(row.repo),
      task_type: this.#name(row.task_type),
      model_tier: this.#name(row.model_tier),
      pool_type: this.#name(row.pool_type),
    }
  }

  #name(value: string): string {
    const known = this.#names.get(value)
    if (known !== undefined) return known
    this.#names.set(value, value)
    return value
  }
}
