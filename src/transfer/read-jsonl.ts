import { createReadStream, statSync } from 'node:fs'
import { createInterface } from 'node:readline'
import type { RecordSource, SourceRow } from './source-row.js'

/** Read a JSONL file line by line (never whole): each non-blank line is one JSON record. */
export function readJsonLines(file: string): RecordSource {
  const size = statSync(file).size
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })
  async function* rows(): AsyncGenerator<SourceRow> {
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
    let line = 0
    try {
      for await (const text of lines) {
        line++
        if (text.trim() === '') continue
        yield parseLine(text, line)
      }
    } finally {
      lines.close()
      stream.destroy()
    }
  }
  return {
    rows: rows(),
    total: undefined,
    fraction: () => (size > 0 ? Math.min(1, stream.bytesRead / size) : 1),
  }
}

function parseLine(text: string, line: number): SourceRow {
  try {
    return { line, record: JSON.parse(text) }
  } catch (error) {
    return { line, error: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` }
  }
}
