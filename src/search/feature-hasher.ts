const BUCKET_SEED = 0x9747b28c
const SIGN_SEED = 0x5bd1e995

/**
 * Signed feature hashing with sublinear term frequency. A feature is streamed in pieces
 * (`start().text('w:').text(token).add(1)`) and hashed as it goes with MurmurHash3 (x86, 32-bit, over
 * UTF-16 code units): the same vector as hashing the concatenated string, without allocating it.
 * Features are counted in an open-addressing table keyed by both hashes (64 bits), reused between texts.
 */
export class FeatureHasher {
  #bucket = 0
  #sign = 0
  #length = 0
  #count = 0
  #generation = 1
  #mask = 0
  #stamps = new Uint32Array(0)
  #keyBuckets = new Uint32Array(0)
  #keySigns = new Uint32Array(0)
  #keySlots = new Uint32Array(0)
  #buckets = new Uint32Array(0)
  #signs = new Int8Array(0)
  #weights = new Float64Array(0)

  constructor(capacity = 1024) {
    this.#allocate(capacity)
  }

  /** Forget every counted feature (the table is kept). */
  reset(): this {
    this.#count = 0
    this.#generation++
    if (this.#generation === 0xffffffff) this.#allocate(this.#stamps.length)
    return this
  }

  /** Begin a new feature. */
  start(): this {
    this.#bucket = BUCKET_SEED >>> 0
    this.#sign = SIGN_SEED >>> 0
    this.#length = 0
    return this
  }

  /** Append `text[from, to)` to the current feature. */
  text(text: string, from = 0, to = text.length): this {
    let bucket = this.#bucket
    let sign = this.#sign
    for (let i = from; i < to; i++) {
      let k = Math.imul(text.charCodeAt(i), 0xcc9e2d51)
      k = Math.imul((k << 15) | (k >>> 17), 0x1b873593)
      bucket = mixBlock(bucket, k)
      sign = mixBlock(sign, k)
    }
    this.#bucket = bucket
    this.#sign = sign
    this.#length += to - from
    return this
  }

  /** End the current feature and count it with `weight`. */
  add(weight: number): void {
    const bucket = finalMix(this.#bucket ^ this.#length)
    const sign = finalMix(this.#sign ^ this.#length)
    let at = (bucket ^ Math.imul(sign, 0x9e3779b1)) & this.#mask
    while (this.#stamps[at] === this.#generation) {
      if (this.#keyBuckets[at] === bucket && this.#keySigns[at] === sign) {
        const slot = this.#keySlots[at]!
        this.#weights[slot] = this.#weights[slot]! + weight
        return
      }
      at = (at + 1) & this.#mask
    }
    const slot = this.#count++
    this.#stamps[at] = this.#generation
    this.#keyBuckets[at] = bucket
    this.#keySigns[at] = sign
    this.#keySlots[at] = slot
    this.#buckets[slot] = bucket
    this.#signs[slot] = sign & 1 ? 1 : -1
    this.#weights[slot] = weight
    if (this.#count * 2 > this.#stamps.length) this.#grow()
  }

  /** Add every feature into `out[0, dims)` (sublinear tf, first-seen order); returns the squared norm. */
  writeTo(out: Float32Array, dims: number): number {
    for (let i = 0; i < this.#count; i++) {
      const weight = this.#weights[i]!
      // Sublinear tf keeps a repeated word from dominating; the sign makes collisions cancel on average.
      const tf = weight >= 1 ? 1 + Math.log(weight) : weight
      const bucket = this.#buckets[i]! % dims
      out[bucket] = out[bucket]! + this.#signs[i]! * tf
    }
    let norm = 0
    for (let i = 0; i < dims; i++) norm += out[i]! * out[i]!
    return norm
  }

  #allocate(capacity: number): void {
    this.#generation = 1
    this.#mask = capacity - 1
    this.#stamps = new Uint32Array(capacity)
    this.#keyBuckets = new Uint32Array(capacity)
    this.#keySigns = new Uint32Array(capacity)
    this.#keySlots = new Uint32Array(capacity)
    this.#buckets = new Uint32Array(capacity)
    this.#signs = new Int8Array(capacity)
    this.#weights = new Float64Array(capacity)
  }

  #grow(): void {
    const count = this.#count
    const features = { buckets: this.#buckets, signs: this.#signs, weights: this.#weights }
    const keys = {
      stamps: this.#stamps,
      buckets: this.#keyBuckets,
      signs: this.#keySigns,
      slots: this.#keySlots,
    }
    const generation = this.#generation
    this.#allocate(this.#stamps.length * 2)
    this.#buckets.set(features.buckets.subarray(0, count))
    this.#signs.set(features.signs.subarray(0, count))
    this.#weights.set(features.weights.subarray(0, count))
    this.#count = count
    for (let i = 0; i < keys.stamps.length; i++) {
      if (keys.stamps[i] !== generation) continue
      let at = (keys.buckets[i]! ^ Math.imul(keys.signs[i]!, 0x9e3779b1)) & this.#mask
      while (this.#stamps[at] === this.#generation) at = (at + 1) & this.#mask
      this.#stamps[at] = this.#generation
      this.#keyBuckets[at] = keys.buckets[i]!
      this.#keySigns[at] = keys.signs[i]!
      this.#keySlots[at] = keys.slots[i]!
    }
  }
}

function mixBlock(h: number, k: number): number {
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

function finalMix(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** Weights of the three feature kinds of `hashTokens`. */
export interface FeatureWeights {
  unigram: number
  bigram: number
  trigram: number
}

// One table for every text of this thread: hashTokens' result is read before the next call.
const shared = new FeatureHasher()

/** Hash the word unigrams (`w:`), bigrams (`b:x_y`) and character trigrams of `#token#` (`c:`) of tokens.
 * The result is valid until the next call (the table is reused). */
export function hashTokens(tokens: readonly string[], weights: FeatureWeights): FeatureHasher {
  const features = shared.reset()
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    features.start().text('w:').text(token).add(weights.unigram)
    if (i > 0)
      features
        .start()
        .text('b:')
        .text(tokens[i - 1]!)
        .text('_')
        .text(token)
        .add(weights.bigram)
    const padded = `#${token}#`
    for (let j = 0; j + 3 <= padded.length; j++)
      features
        .start()
        .text('c:')
        .text(padded, j, j + 3)
        .add(weights.trigram)
  }
  return features
}
