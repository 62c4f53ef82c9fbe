import { createInterface } from 'node:readline'

/** One JSONL line of stdin: its parsed record, or why it is not JSON. */
export type StdinLine = { line: number; record: unknown } | { line: number; error: string }

/** Read JSONL from a stream line by line, skipping blank lines, in batches of `batchSize`. */
export async function* readJsonLineBatches(
  input: NodeJS.ReadableStream,
  batchSize: number,
): AsyncGenerator<StdinLine[]> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })
  let batch: StdinLine[] = []
  let line = 0
  for await (const text of lines) {
    line++
    if (text.trim() === '') continue
    try {
      batch.push({ line, record: JSON.parse(text) })
    } catch (error) {
      batch.push({ line, error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` })
    }
    if (batch.length >= batchSize) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}
