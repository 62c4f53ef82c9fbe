import type { Config } from '../config.js'
import { LearningError } from '../errors.js'
import type { Embedder } from './embedder.js'
import { type EmbedderSpec, embedderFromSpec } from './embedder-spec.js'
import { CachedEmbedder } from './embedding-cache.js'
import { WorkerPoolEmbedder } from './worker-pool-embedder.js'

/**
 * The embedder a store runs with, chosen once from the config: an instance is used as given; 'builtin'
 * and 'hash' embed large batches on worker threads; 'minilm' and 'http' load their modules on demand.
 * Every one is wrapped in the LRU text cache.
 */
export async function createEmbedder(config: Config): Promise<Embedder> {
  return new CachedEmbedder(await baseEmbedder(config), config.embeddingCacheSize)
}

async function baseEmbedder(config: Config): Promise<Embedder> {
  const choice = config.embedder
  if (typeof choice === 'object') return choice
  switch (choice) {
    case 'builtin':
    case 'hash': {
      const spec: EmbedderSpec =
        choice === 'hash' ? { kind: 'hash' } : { kind: 'builtin', vectorsPath: config.wordVectorsPath }
      return config.embedThreads > 0 ? sharedPool(spec, config.embedThreads) : embedderFromSpec(spec)
    }
    case 'minilm': {
      const { createMiniLmEmbedder } = await import('./minilm-embedder.js')
      return createMiniLmEmbedder(config.modelDir)
    }
    case 'http': {
      const { HttpEmbedder } = await import('./http-embedder.js')
      return HttpEmbedder.fromConfig(config)
    }
    default:
      throw new LearningError(
        'invalid_input',
        `embedder must be one of builtin, hash, minilm, http or an Embedder, got ${JSON.stringify(choice)}`,
      )
  }
}

// One pool per embedder recipe and process: stores opened and closed in turn (tests, CLI) reuse its
// threads instead of starting new ones. Idle workers are unref'd, so the pool never holds the process.
const pools = new Map<string, WorkerPoolEmbedder>()

function sharedPool(spec: EmbedderSpec, threads: number): Embedder {
  const key = `${JSON.stringify(spec)}#${threads}`
  let pool = pools.get(key)
  if (!pool) {
    pool = new WorkerPoolEmbedder(spec, embedderFromSpec(spec), threads)
    pools.set(key, pool)
  }
  const shared = pool
  return { id: shared.id, dimensions: shared.dimensions, embed: (texts) => shared.embed(texts) }
}
