import type { Embedder } from './search/embedder.js'

/** Every option of the library; `resolveConfig` fills the defaults once and freezes the result. */
export interface Options {
  /** Database file; `:memory:` for a throw-away store. Default `data/learning.duckdb`. */
  path: string
  /** Open without taking the write lock (several readers may share a file). Default false. */
  readOnly: boolean
  /** Embedder for records that bring no embedding. Default: the built-in offline hashing embedder. */
  embedder: Embedder | undefined
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
}

/** The defaults of every option. */
export const DEFAULTS: Readonly<Options> = Object.freeze({
  path: 'data/learning.duckdb',
  readOnly: false,
  embedder: undefined,
  poolSize: 4,
  poolOverflow: 2,
  maxQueuedRecords: 100_000,
  maxBatchRecords: 20_000,
  embeddingCacheSize: 10_000,
  memoryLimit: '2GB',
  threads: undefined,
  dataDir: 'data',
})

/** The resolved, frozen configuration a store runs with. */
export type Config = Readonly<Options>

/** Merge caller options over the defaults, once. */
export function resolveConfig(partial: Partial<Options> = {}): Config {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined))
  return Object.freeze({ ...DEFAULTS, ...defined })
}
