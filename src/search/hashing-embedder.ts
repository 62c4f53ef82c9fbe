import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import type { Embedder } from './embedder.js'
import { hashTokens } from './feature-hasher.js'

// Common English function words plus the field labels of the embedding text, which every text shares.
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on or that the this to was were will with ' +
    'task description repository model tier pool topology success solution'
  ).split(' '),
)

const WEIGHTS = { unigram: 1, bigram: 0.7, trigram: 0.5 }
const TOKEN = /[\p{L}\p{N}]+/gu

/**
 * The built-in offline embedder: signed feature hashing of word unigrams, bigrams and character
 * trigrams with sublinear term frequency, L2-normalised. Deterministic, no model files, ~25k texts/s.
 */
export class HashingEmbedder implements Embedder {
  readonly id = 'builtin-hash-v1'
  readonly dimensions = EMBEDDING_DIMENSIONS

  async embed(texts: readonly string[]): Promise<(Float32Array | null)[]> {
    return texts.map((t) => hashEmbed(t, this.dimensions))
  }
}

/** Embed one text synchronously; `null` when it holds no token worth embedding. */
export function hashEmbed(text: string, dimensions: number = EMBEDDING_DIMENSIONS): Float32Array | null {
  const tokens = (text.normalize('NFKC').toLowerCase().match(TOKEN) ?? []).filter((t) => !STOP_WORDS.has(t))
  if (tokens.length === 0) return null
  const features = hashTokens(tokens, WEIGHTS)
  const vector = new Float32Array(dimensions)
  const norm = features.writeTo(vector, dimensions)
  if (norm === 0) return null
  const scale = 1 / Math.sqrt(norm)
  for (let i = 0; i < dimensions; i++) vector[i] = vector[i]! * scale
  return vector
}
