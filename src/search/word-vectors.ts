import { createHash } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { LearningError } from '../errors.js'
import { fnv1a } from './fnv1a.js'

const MAGIC = 'ORBWV002'
const HEADER = 8 + 4 * 4 + 32

/**
 * Pre-trained word vectors in frequency order (row 0 = the most frequent word), read straight from the
 * compact file: int8 components with one float32 scale per word, and a precomputed open-addressing hash
 * table, so that loading is one file read and nothing is decoded up front.
 */
export class WordVectors {
  readonly dimensions: number
  readonly count: number
  readonly #scales: Float32Array
  readonly #components: Int8Array
  readonly #offsets: Uint32Array
  readonly #table: Uint32Array
  readonly #words: Buffer

  constructor(file: Buffer, source: string, verify = false) {
    if (file.length < HEADER || file.toString('latin1', 0, 8) !== MAGIC)
      throw new LearningError('internal', `${source} is not an orb-learning word-vector file`)
    const count = file.readUInt32LE(8)
    const dims = file.readUInt32LE(12)
    const tableSize = file.readUInt32LE(16)
    const wordBytes = file.readUInt32LE(20)
    const payload = file.subarray(HEADER)
    if (payload.length !== count * 4 + count * dims + (count + 1) * 4 + tableSize * 4 + wordBytes)
      throw new LearningError('internal', `${source} is truncated`)
    if (verify && !createHash('sha256').update(payload).digest().equals(file.subarray(24, HEADER)))
      throw new LearningError('internal', `${source} is corrupt (checksum mismatch)`)
    // Views straight into the file's memory (every section starts 4-byte aligned); copy only if it is not.
    const bytes = payload.byteOffset % 4 === 0 ? payload : Buffer.from(new Uint8Array(payload))
    let at = bytes.byteOffset
    const take = (n: number) => {
      const start = at
      at += n
      return [bytes.buffer, start] as const
    }
    this.count = count
    this.dimensions = dims
    this.#scales = new Float32Array(...take(count * 4), count)
    this.#components = new Int8Array(...take(count * dims), count * dims)
    this.#offsets = new Uint32Array(...take((count + 1) * 4), count + 1)
    this.#table = new Uint32Array(...take(tableSize * 4), tableSize)
    this.#words = Buffer.from(...take(wordBytes), wordBytes)
  }

  /** Row of a word, or -1. */
  rowOf(word: string): number {
    const mask = this.#table.length - 1
    for (let slot = fnv1a(word) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#table[slot]!
      if (entry === 0) return -1
      if (this.#wordEquals(entry - 1, word)) return entry - 1
    }
  }

  /** The word at a row. */
  wordAt(row: number): string {
    return this.#words.toString('utf8', this.#offsets[row]!, this.#offsets[row + 1]!)
  }

  /** Add `weight` times the vector of `row` into `target`. */
  addTo(target: Float32Array, row: number, weight: number, offset = 0): void {
    const scale = this.#scales[row]! * weight
    const base = row * this.dimensions
    for (let d = 0; d < this.dimensions; d++)
      target[offset + d] = target[offset + d]! + this.#components[base + d]! * scale
  }

  #wordEquals(row: number, word: string): boolean {
    const start = this.#offsets[row]!
    if (this.#offsets[row + 1]! - start !== word.length) return false
    for (let i = 0; i < word.length; i++) if (this.#words[start + i] !== word.charCodeAt(i)) return false
    return true
  }
}

/** Load the compact word-vector file; `verify` also checks its sha256. */
export function loadWordVectors(path: string, verify = false): WordVectors {
  let file: Buffer
  try {
    file = readFileSync(path)
  } catch (error) {
    throw new LearningError('unavailable', `word vectors not found at ${path}`, { cause: error })
  }
  return new WordVectors(file, path, verify)
}

/** Write word vectors (ASCII words, frequency order) in the compact int8 format (temp file + rename). */
export function writeWordVectors(
  path: string,
  input: { words: readonly string[]; dimensions: number; vectors: Float32Array },
): void {
  const { words, dimensions: dims, vectors } = input
  const count = words.length
  const scales = new Float32Array(count)
  const components = new Int8Array(count * dims)
  for (let i = 0; i < count; i++) {
    let max = 0
    for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(vectors[i * dims + d]!))
    const scale = max === 0 ? 1 : max / 127
    scales[i] = scale
    for (let d = 0; d < dims; d++) components[i * dims + d] = Math.round(vectors[i * dims + d]! / scale)
  }
  const offsets = new Uint32Array(count + 1)
  const parts: Buffer[] = []
  let length = 0
  words.forEach((w, i) => {
    if (!/^[\x21-\x7e]+$/.test(w)) throw new Error(`word ${JSON.stringify(w)} is not plain ASCII`)
    offsets[i] = length
    parts.push(Buffer.from(w, 'latin1'))
    length += w.length
  })
  offsets[count] = length
  let tableSize = 1
  while (tableSize < count * 2) tableSize *= 2
  const table = new Uint32Array(tableSize)
  words.forEach((w, i) => {
    let slot = fnv1a(w) & (tableSize - 1)
    while (table[slot] !== 0) slot = (slot + 1) & (tableSize - 1)
    table[slot] = i + 1
  })
  const payload = Buffer.concat([
    Buffer.from(scales.buffer),
    Buffer.from(components.buffer),
    Buffer.from(offsets.buffer),
    Buffer.from(table.buffer),
    ...parts,
  ])
  const header = Buffer.alloc(HEADER)
  header.write(MAGIC, 0, 'latin1')
  header.writeUInt32LE(count, 8)
  header.writeUInt32LE(dims, 12)
  header.writeUInt32LE(tableSize, 16)
  header.writeUInt32LE(length, 20)
  createHash('sha256').update(payload).digest().copy(header, 24)
  writeFileSync(`${path}.tmp`, Buffer.concat([header, payload]))
  renameSync(`${path}.tmp`, path)
}
