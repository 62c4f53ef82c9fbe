import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { Embedder } from './search/embedder.js'

/** Which embedder a store uses: the offline built-in one, hashing only, MiniLM from local files, or an HTTP endpoint. */
export type EmbedderName = 'builtin' | 'hash' | 'minilm' | 'http'

/** Every option of the library; `resolveConfig` fills the defaults once and freezes the result. */
export interface Options {
  /** Database file; `:memory:` for a throw-away store. Default `data/learning.duckdb`. */
  path: string
  /** Open without taking the write lock (several readers may share a file). Default false. */
  readOnly: boolean
  /** Embedder for records that bring no embedding: a name, or an instance (tests, custom models). Default 'builtin'. */
  embedder: EmbedderName | Embedder
  /** Worker threads that embed large batches for 'builtin' and 'hash'. Default: cores, at most 4. */
  embedThreads: number
  /** The compact word-vector file of the 'builtin' embedder. Default: the one shipped in `assets/`. */
  wordVectorsPath: string
  /** Directory holding all-MiniLM-L6-v2 (config.json, tokenizer.json, onnx/model.onnx) for 'minilm'. Default none. */
  modelDir: string | undefined
  /** Base URL of the 'http' embedder (OpenAI-compatible or Ollama). Default none. */
  embedderUrl: string | undefined
  /** Wire format of the 'http' embedder: OpenAI `/v1/embeddings` or Ollama `/api/embed`. Default 'openai'. */
  embedderApi: 'openai' | 'ollama'
  /** Model name sent to the 'http' embedder. Default 'all-minilm'. */
  embedderModel: string
  /** Bearer token of the 'http' embedder. Default none. */
  embedderApiKey: string | undefined
  /** Texts per request of the 'http' embedder. Default 64. */
  embedderBatchSize: number
  /** Requests in flight at once of the 'http' embedder. Default 2. */
  embedderConcurrency: number
  /** Timeout of one 'http' embedder request, in ms. Default 30,000. */
  embedderTimeoutMs: number
  /** Retries (with exponential backoff) of a failed 'http' embedder request. Default 3. */
  embedderRetries: number
  /** Open even when the stored vectors come from another embedder (only to re-embed them). Default false. */
  acceptEmbedderChange: boolean
  /** Keep an ANN vector index beside the database file (`<db>.usearch`). Default true (never for `:memory:`). */
  vectorIndex: boolean
  /** Scalar type of the vector index: 'f32' exact, 'i8' a quarter of the memory. Default 'f32'. */
  indexQuantization: 'f32' | 'i8'
  /** HNSW connectivity (M). Default 16. */
  indexConnectivity: number
  /** HNSW expansion while adding (efConstruction). Default 128. */
  indexExpansionAdd: number
  /** HNSW expansion while searching (ef). Default 64. */
  indexExpansionSearch: number
  /** Reader pool size. Default 4. */
  poolSize: number
  /** Extra reader connections made under load and closed when returned. Default 2. */
  poolOverflow: number
  /** Records that may wait in the write queue before callers are held back. Default 100,000. */
  maxQueuedRecords: number
  /** Most records merged into one write transaction. Default 20,000. */
  maxBatchRecords: number
  /** Entries of the text → embedding cache. Default 10,000. */
  embeddingCacheSize: number
  /** DuckDB memory limit. Default '2GB'. */
  memoryLimit: string
  /** DuckDB worker threads. Default: DuckDB's own (one per core). */
  threads: number | undefined
  /** Root under which archives, backups and exports are resolved. Default 'data'. */
  dataDir: string
  /**
   * WAL size that triggers a checkpoint inside a commit. Default '256MB' (DuckDB's 16MB made every
   * ~10k rows pay a checkpoint that rewrites all indexes); the store also checkpoints after 1 s idle.
   */
  checkpointThreshold: string
}

/** The defaults of every option. */
export const DEFAULTS: Readonly<Options> = Object.freeze({
  path: 'data/learning.duckdb',
  readOnly: false,
  embedder: 'builtin',
  embedThreads: Math.max(1, Math.min(4, availableParallelism())),
  wordVectorsPath: fileURLToPath(new URL('../assets/word-vectors-glove100.bin', import.meta.url)),
  modelDir: undefined,
  embedderUrl: undefined,
  embedderApi: 'openai',
  embedderModel: 'all-minilm',
  embedderApiKey: undefined,
  embedderBatchSize: 64,
  embedderConcurrency: 2,
  embedderTimeoutMs: 30_000,
  embedderRetries: 3,
  acceptEmbedderChange: false,
  vectorIndex: true,
  indexQuantization: 'f32',
  indexConnectivity: 16,
  indexExpansionAdd: 128,
  // At 1M rows ef 64 kept recall@10 at 0.98 for half the time of 128 (docs/performance.md, Search).
  indexExpansionSearch: 64,
  poolSize: 4,
  poolOverflow: 2,
  maxQueuedRecords: 100_000,
  maxBatchRecords: 20_000,
  embeddingCacheSize: 10_000,
  memoryLimit: '2GB',
  threads: undefined,
  dataDir: 'data',
  checkpointThreshold: '256MB',
} satisfies Options)

/** The resolved, frozen configuration a store runs with. */
export type Config = Readonly<Options>

/** Merge caller options over the defaults, once. */
export function resolveConfig(partial: Partial<Options> = {}): Config {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined))
  return Object.freeze({ ...DEFAULTS, ...defined })
}
