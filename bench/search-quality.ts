// Search quality: top-1 and recall@5 of same-intent retrieval on bench/search-quality.json
// (320 task descriptions in 32 intent groups), for the builtin embedder and for hashing alone.
//   node --import tsx bench/search-quality.ts
import { readFileSync } from 'node:fs'
import { DEFAULTS } from '../src/config.js'
import type { Embedder } from '../src/search/embedder.js'
import { HashingEmbedder } from '../src/search/hashing-embedder.js'
import { WordVectorEmbedder } from '../src/search/word-vector-embedder.js'
import { loadWordVectors } from '../src/search/word-vectors.js'

interface Group {
  intent: string
  texts: string[]
}

/** top-1 accuracy and recall@5 (a same-intent text among the 5 nearest others) of an embedder. */
export async function measureQuality(embedder: Embedder, groups: readonly Group[]) {
  const items = groups.flatMap((g) => g.texts.map((text) => ({ intent: g.intent, text })))
  const vectors = await embedder.embed(items.map((i) => i.text))
  let top1 = 0
  let recall5 = 0
  items.forEach((item, q) => {
    const qv = vectors[q]
    if (!qv) return
    const scored = items
      .map((other, i) => {
        const v = vectors[i]
        let s = -2
        if (v && i !== q) {
          s = 0
          for (let d = 0; d < v.length; d++) s += v[d]! * qv[d]!
        }
        return { intent: other.intent, s }
      })
      .sort((a, b) => b.s - a.s)
    if (scored[0]?.intent === item.intent) top1++
    if (scored.slice(0, 5).some((r) => r.intent === item.intent)) recall5++
  })
  return { queries: items.length, top1: top1 / items.length, recall5: recall5 / items.length }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const groups = JSON.parse(
    readFileSync(new URL('./search-quality.json', import.meta.url), 'utf8'),
  ) as Group[]
  const words = loadWordVectors(DEFAULTS.wordVectorsPath)
  const rows: [string, Embedder][] = [
    ['builtin (builtin-glove100-v1)', new WordVectorEmbedder(words)],
    ['builtin, word vectors only', new WordVectorEmbedder(words, 1)],
    ['builtin, hashing part only', new WordVectorEmbedder(words, 0)],
    ['hashing alone (builtin-hash-v1)', new HashingEmbedder()],
  ]
  console.log(`| embedder | queries | top-1 | recall@5 |\n|---|---|---|---|`)
  for (const [name, embedder] of rows) {
    const r = await measureQuality(embedder, groups)
    console.log(`| ${name} | ${r.queries} | ${r.top1.toFixed(3)} | ${r.recall5.toFixed(3)} |`)
  }
}
