import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { FeatureHasher } from '../src/search/feature-hasher.js'
import { tokenize, tokenizeUnicode } from '../src/search/text-tokens.js'

/** MurmurHash3 of a whole string, the definition the streaming hasher must agree with. */
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

/** The vector of features built as strings, counted in a Map: the reference. */
function referenceVector(features: readonly (readonly [string, number])[], dims: number): Float32Array {
  const weights = new Map<string, number>()
  for (const [feature, weight] of features) weights.set(feature, (weights.get(feature) ?? 0) + weight)
  const out = new Float32Array(dims)
  for (const [feature, weight] of weights) {
    const tf = weight >= 1 ? 1 + Math.log(weight) : weight
    const bucket = murmur3(feature, 0x9747b28c) % dims
    out[bucket] = out[bucket]! + (murmur3(feature, 0x5bd1e995) & 1 ? 1 : -1) * tf
  }
  return out
}

describe('feature hashing', () => {
  it('should give the vector of hashing whole feature strings, also past its table size', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 6 }), fc.double({ min: 0.1, max: 3 })),
          {
            maxLength: 3000,
          },
        ),
        (parts) => {
          const hasher = new FeatureHasher(16)
          for (const [a, b, w] of parts) hasher.start().text(a).text(b).add(w)
          const out = new Float32Array(97)
          hasher.writeTo(out, 97)
          assert.deepEqual(
            out,
            referenceVector(
              parts.map(([a, b, w]) => [a + b, w]),
              97,
            ),
          )
        },
      ),
      { numRuns: 60 },
    )
  })

  it('should start empty again after reset', () => {
    const hasher = new FeatureHasher(8)
    hasher.start().text('w:parser').add(1)
    hasher.reset().start().text('w:router').add(1)
    const out = new Float32Array(31)
    hasher.writeTo(out, 31)
    assert.deepEqual(out, referenceVector([['w:router', 1]], 31))
  })
})

describe('tokenizer', () => {
  it('should split ASCII text exactly like the Unicode rule', () => {
    const chars = fc.constantFrom(...'aZbY09 _-./:AbCDeFgHIJk1x2'.split(''))
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 60 }), (list) => {
        const text = list.join('')
        assert.deepEqual(tokenize(text), tokenizeUnicode(text))
      }),
      { numRuns: 2000 },
    )
  })

  it('should split identifiers in other scripts by the Unicode rule', () => {
    assert.deepEqual(tokenize('ÉcoleNormale naïveCafé2 東京'), [
      'école',
      'normale',
      'naïve',
      'café',
      '2',
      '東京',
    ])
  })
})
