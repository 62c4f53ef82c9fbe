import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import type { Embedder } from './embedder.js'

// Common English function words plus the field labels of the embedding text, which every text shares.
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for from has have in into is it its of on or that the this to was were will with ' +
    'task description repository model tier pool topology success solution'
  ).split(' '),
)

const UNIGRAM_WEIGHT = 1
const BIGRAM_WEIGHT = 0.7
const TRIGRAM_WEIGHT = 0.5
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
  const features = new Map<string, number>()
  const add = (feature: string, weight: number) =>
    features.set(feature, (features.get(feature) ?? 0) + weight)
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    add(`w:${token}`, UNIGRAM_WEIGHT)
    if (i > 0) add(`b:${tokens[i - 1]}_${token}`, BIGRAM_WEIGHT)
    const padded = `#${token}#`
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, TRIGRAM_WEIGHT)
  }
  const vector = new Float32Array(dimensions)
  for (const [feature, weight] of features) {
    // Sublinear tf keeps a repeated word from dominating; the sign hash makes collisions cancel on average.
    const tf = weight >= 1 ? 1 + Math.log(weight) : weight
    const bucket = murmur3(feature, 0x9747b28c) % dimensions
    const sign = murmur3(feature, 0x5bd1e995) & 1 ? 1 : -1
    vector[bucket] = (vector[bucket] ?? 0) + sign * tf
  }
  let norm = 0
  for (let i = 0; i < dimensions; i++) norm += vector[i]! * vector[i]!
  if (norm === 0) return null
  const scale = 1 / Math.sqrt(norm)
  for (let i = 0; i < dimensions; i++) vector[i] = vector[i]! * scale
  return vector
}

/** MurmurHash3 (x86, 32-bit) over UTF-16 code units: fast and well mixed for short keys. */
function murmur3(key: string, seed: number): number {
  let h = seed >>> 0
  for (let i = 0; i < key.length; i++) {
    let k = key.charCodeAt(i)
    k = Math.imul(k, 0xcc9e2d51)
    k = (k << 15) | (k >>> 17)
    k = Math.imul(k, 0x1b873593)
    h ^= k
    h = (h << 13) | (h >>> 19)
    h = (Math.imul(h, 5) + 0xe6546b64) | 0
  }
  h ^= key.length
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
