import type { Embedder } from './embedder.js'
import { HashingEmbedder } from './hashing-embedder.js'
import { WordVectorEmbedder } from './word-vector-embedder.js'
import { loadWordVectors } from './word-vectors.js'

/** A serialisable recipe for an in-process embedder, so that a worker thread can build the same one. */
export type EmbedderSpec = { kind: 'hash' } | { kind: 'builtin'; vectorsPath: string }

/** Build the embedder a spec describes (in the main thread or in a worker). */
export function embedderFromSpec(spec: EmbedderSpec): Embedder {
  if (spec.kind === 'hash') return new HashingEmbedder()
  return new WordVectorEmbedder(loadWordVectors(spec.vectorsPath))
}
