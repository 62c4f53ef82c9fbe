import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import type { Embedder } from './embedder.js'
import { stem, tokenize } from './text-tokens.js'
import type { WordVectors } from './word-vectors.js'

/** Weight of the word-vector part against the hashing part (each unit-normalised first). */
export const WORD_VECTOR_WEIGHT = 0.6
const SIF_A = 1e-3
// Zipf estimate of a word's corpus probability from its frequency rank: p(r) ≈ 1 / ((r + 1) · H).
const ZIPF_H = 13.5

/**
 * The built-in offline embedder: hashed lexical features (stemmed unigrams, bigrams, character
 * trigrams) concatenated with SIF-weighted pre-trained word vectors (GloVe 100-d), each part
 * unit-normalised, then weighted; 384 dimensions in all.
 */
export class WordVectorEmbedder implements Embedder {
  readonly id = 'builtin-glove100-v1'
  readonly dimensions = EMBEDDING_DIMENSIONS
  readonly #words: WordVectors
  readonly #hashDims: number
  readonly #wordWeight: number

  constructor(words: WordVectors, wordWeight = WORD_VECTOR_WEIGHT) {
    this.#words = words
    this.#hashDims = EMBEDDING_DIMENSIONS - words.dimensions
    this.#wordWeight = wordWeight
  }

  async embed(texts: readonly string[]): Promise<(Float32Array | null)[]> {
    return texts.map((t) => this.embedOne(t))
  }

  /** Embed one text synchronously; `null` when it holds no token worth embedding. */
  embedOne(text: string): Float32Array | null {
    const tokens = tokenize(text)
    if (tokens.length === 0) return null
    const out = new Float32Array(this.dimensions)
    const lexical = hashFeatures(tokens.map(stem), out, this.#hashDims)
    const semantic = this.#addWordVectors(tokens, out, this.#hashDims)
    if (lexical === 0 && semantic === 0) return null
    const hashScale = lexical === 0 ? 0 : Math.sqrt(1 - this.#wordWeight ** 2) / Math.sqrt(lexical)
    const wordScale = semantic === 0 ? 0 : this.#wordWeight / Math.sqrt(semantic)
    let norm = 0
    for (let i = 0; i < out.length; i++) {
      out[i] = out[i]! * (i < this.#hashDims ? hashScale : wordScale)
      norm += out[i]! * out[i]!
    }
    const scale = 1 / Math.sqrt(norm)
    for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale
    return out
  }

  /** Add the SIF-weighted vectors of the known words at `offset`; returns the squared norm added. */
  #addWordVectors(tokens: readonly string[], out: Float32Array, offset: number): number {
    for (const token of tokens) {
      const row = this.#lookup(token)
      if (row < 0) continue
      const p = 1 / ((row + 1) * ZIPF_H)
      this.#words.addTo(out, row, SIF_A / (SIF_A + p), offset)
    }
    let norm = 0
    for (let i = offset; i < out.length; i++) norm += out[i]! * out[i]!
    return norm
  }

  #lookup(token: string): number {
    const row = this.#words.rowOf(token)
    if (row >= 0) return row
    const stemmed = stem(token)
    return stemmed === token ? -1 : this.#words.rowOf(stemmed)
  }
}

const UNIGRAM = 1
const BIGRAM = 0.7
const TRIGRAM = 0.4

/** Signed feature hashing of tokens into `out[0, dims)`, sublinear tf; returns the squared norm. */
export function hashFeatures(tokens: readonly string[], out: Float32Array, dims: number): number {
  const features = new Map<string, number>()
  const add = (feature: string, weight: number) =>
    features.set(feature, (features.get(feature) ?? 0) + weight)
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    add(`w:${token}`, UNIGRAM)
    if (i > 0) add(`b:${tokens[i - 1]}_${token}`, BIGRAM)
    const padded = `#${token}#`
    for (let j = 0; j + 3 <= padded.length; j++) add(`c:${padded.slice(j, j + 3)}`, TRIGRAM)
  }
  for (const [feature, weight] of features) {
    const tf = weight >= 1 ? 1 + Math.log(weight) : weight
    const h = murmur3(feature, 0x9747b28c)
    const sign = murmur3(feature, 0x5bd1e995) & 1 ? 1 : -1
    out[h % dims] = out[h % dims]! + sign * tf
  }
  let norm = 0
  for (let i = 0; i < dims; i++) norm += out[i]! * out[i]!
  return norm
}

function murmur3(key: string, seed: number): number {
  let h = seed >>> 0
  for (let i = 0; i < key.length; i++) {
    let k = Math.imul(key.charCodeAt(i), 0xcc9e2d51)
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593)
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
