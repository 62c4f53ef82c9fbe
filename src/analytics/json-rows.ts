import {
  DuckDBBigIntVector,
  type DuckDBDataChunk,
  DuckDBDoubleVector,
  DuckDBFloatVector,
  DuckDBIntegerVector,
  type DuckDBResult,
  DuckDBSmallIntVector,
  DuckDBTimestampVector,
  DuckDBTinyIntVector,
  type DuckDBVector,
  JSDuckDBValueConverter,
} from '@duckdb/node-api'

/**
 * A result's rows as JSON-friendly objects: ISO strings for timestamps, numbers for bigints and decimals,
 * arrays for lists, null for NaN and infinities. Numbers are read from the chunks' vectors as they are, and
 * repeated timestamps (a day or an hour per group) are formatted once: the node API's generic conversion
 * goes through a converter per cell, ~0.5 µs each (25 ms for tier_performance's 7,400 rows at 1M).
 */
export async function jsonRows(result: DuckDBResult): Promise<Record<string, unknown>[]> {
  const names = result.deduplicatedColumnNames()
  const timestamps = new Map<bigint, string>()
  const rows: Record<string, unknown>[] = []
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk())
    appendChunk(chunk, names, timestamps, rows)
  return rows
}

function appendChunk(
  chunk: DuckDBDataChunk,
  names: readonly string[],
  timestamps: Map<bigint, string>,
  rows: Record<string, unknown>[],
): void {
  const count = chunk.rowCount
  const columns = names.map((_, c) => readColumn(chunk.getColumnVector(c), count, timestamps))
  for (let r = 0; r < count; r++) {
    const row: Record<string, unknown> = {}
    for (let c = 0; c < names.length; c++) row[names[c]!] = columns[c]![r]
    rows.push(row)
  }
}

const NUMBER_VECTORS = [
  DuckDBDoubleVector,
  DuckDBFloatVector,
  DuckDBIntegerVector,
  DuckDBSmallIntVector,
  DuckDBTinyIntVector,
]

function readColumn(vector: DuckDBVector, rows: number, timestamps: Map<bigint, string>): unknown[] {
  const out: unknown[] = new Array(rows)
  if (NUMBER_VECTORS.some((kind) => vector instanceof kind)) {
    for (let r = 0; r < rows; r++) {
      const value = vector.getItem(r) as number | null
      out[r] = value !== null && Number.isFinite(value) ? value : null
    }
  } else if (vector instanceof DuckDBBigIntVector) {
    for (let r = 0; r < rows; r++) {
      const value = vector.getItem(r)
      out[r] = value === null ? null : Number(value)
    }
  } else if (vector instanceof DuckDBTimestampVector) {
    for (let r = 0; r < rows; r++) {
      const value = vector.getItem(r)
      if (value === null) {
        out[r] = null
        continue
      }
      let iso = timestamps.get(value.micros)
      if (iso === undefined) {
        iso = jsonValue(JSDuckDBValueConverter(value, vector.type, JSDuckDBValueConverter)) as string
        // Bounded: a column of distinct timestamps (a list of raw rows) gains nothing from the cache.
        if (timestamps.size < 10_000) timestamps.set(value.micros, iso)
      }
      out[r] = iso
    }
  } else {
    const type = vector.type
    for (let r = 0; r < rows; r++)
      out[r] = jsonValue(JSDuckDBValueConverter(vector.getItem(r), type, JSDuckDBValueConverter))
  }
  return out
}

function jsonValue(value: unknown): unknown {
  // Strings and plain numbers are most values: answer them first.
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(jsonValue)
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>)
  return value
}
