// English function words, filler verbs of task descriptions, and the field labels of the embedding text.
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could do does for from has have how i if in into is it its me my ' +
    'no not of on or our should so some than that the their them then there these they this those to too ' +
    'up us was we were what when where which while who why will with would you your ' +
    'task description repository model tier pool topology success solution true false please'
  ).split(' '),
)

/**
 * Split text into lower-case word tokens: identifiers are split at camelCase humps, `snake_case`,
 * `kebab-case`, dots and path separators (`src/jsonParser.ts` → src, json, parser, ts); stop words dropped.
 */
export function tokenize(text: string): string[] {
  return NON_ASCII.test(text) ? tokenizeUnicode(text) : tokenizeAscii(text)
}

const NON_ASCII = /\P{ASCII}/u
const SPLIT_UNICODE = /(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})/u

/** The general rule, for any script: letters and digits in runs, split where the case or kind changes. */
export function tokenizeUnicode(text: string): string[] {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []
  const out: string[] = []
  for (const word of words) {
    for (const part of word.split(SPLIT_UNICODE)) pushToken(out, part)
  }
  return out
}

// The same rule hand-written for ASCII text (the common case), without regular expressions: 4x faster.
const LOWER = 1
const UPPER = 2
const DIGIT = 3
const KIND = new Uint8Array(128)
for (let c = 97; c <= 122; c++) KIND[c] = LOWER
for (let c = 65; c <= 90; c++) KIND[c] = UPPER
for (let c = 48; c <= 57; c++) KIND[c] = DIGIT

function tokenizeAscii(text: string): string[] {
  const out: string[] = []
  let start = -1
  for (let i = 0; i <= text.length; i++) {
    const kind = i < text.length ? KIND[text.charCodeAt(i)]! : 0
    if (kind === 0) {
      if (start >= 0) pushToken(out, text.slice(start, i))
      start = -1
      continue
    }
    if (start < 0) {
      start = i
      continue
    }
    const before = KIND[text.charCodeAt(i - 1)]!
    const hump =
      (before === LOWER && kind === UPPER) ||
      (before === UPPER && kind === UPPER && KIND[text.charCodeAt(i + 1)] === LOWER) ||
      (before !== DIGIT && kind === DIGIT)
    if (hump) {
      pushToken(out, text.slice(start, i))
      start = i
    }
  }
  return out
}

function pushToken(out: string[], part: string): void {
  const token = part.toLowerCase()
  if (!STOP_WORDS.has(token)) out.push(token)
}

/**
 * A light suffix stripper (plural, -ing, -ed, -ly, -er, -ment, -ation...) so that "tests", "testing"
 * and "tested" meet; conservative on short words.
 */
export function stem(word: string): string {
  let stemmed = stems.get(word)
  if (stemmed === undefined) {
    stemmed = stripSuffix(word)
    if (stems.size >= MAX_CACHED_STEMS) stems.clear()
    stems.set(word, stemmed)
  }
  return stemmed
}

// Task vocabulary repeats a lot: remembering stems saves most of the suffix scans.
const MAX_CACHED_STEMS = 50_000
const stems = new Map<string, string>()

function stripSuffix(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word
  for (const [suffix, replacement, min] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= min)
      return undouble(word.slice(0, word.length - suffix.length) + replacement)
  }
  return word
}

const SUFFIXES: readonly (readonly [string, string, number])[] = [
  ['ational', 'ate', 3],
  ['ization', 'ize', 3],
  ['ations', 'ate', 3],
  ['ation', 'ate', 3],
  ['ements', '', 4],
  ['ement', '', 4],
  ['ments', '', 4],
  ['ment', '', 4],
  ['ities', '', 4],
  ['ity', '', 4],
  ['ness', '', 4],
  ['ingly', '', 3],
  ['ing', '', 3],
  ['edly', '', 3],
  ['ied', 'y', 2],
  ['ies', 'y', 2],
  ['ed', '', 3],
  ['ers', '', 3],
  ['er', '', 3],
  ['ly', '', 4],
  ['es', '', 4],
  ['s', '', 3],
]

function undouble(word: string): string {
  // running → runn → run; but keep "ll", "ss" endings that are part of the word (install, access).
  const n = word.length
  if (n > 3 && word[n - 1] === word[n - 2] && !'lsz'.includes(word[n - 1]!)) return word.slice(0, -1)
  if (word.endsWith('at') || word.endsWith('iz')) return word
  return word
}
