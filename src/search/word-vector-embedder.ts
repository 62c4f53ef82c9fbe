import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import type { Embedder } from './embedder.js'
import { hashTokens } from './feature-hasher.js'
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

const WEIGHTS = { unigram: 1, bigram: 0.7, trigram: 0.4 }

/** Signed feature hashing of tokens into `out[0, dims)`, sublinear tf; returns the squared norm. */
export function hashFeatures(tokens: readonly string[], out: Float32Array, dims: number): number {
  return hashTokens(tokens, WEIGHTS).writeTo(out, dims)
}
