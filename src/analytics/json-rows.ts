import type { DuckDBResultReader } from '@duckdb/node-api'

/**
 * A result's rows as JSON-friendly objects: ISO strings for dates, numbers for bigints, arrays for lists.
 * Converted column by column (4x cheaper than row objects for results of thousands of rows).
 */
export function jsonRows(reader: DuckDBResultReader): Record<string, unknown>[] {
  const names = reader.deduplicatedColumnNames()
  const columns = reader.getColumnsJS()
  const rows: Record<string, unknown>[] = new Array(reader.currentRowCount)
  for (let r = 0; r < rows.length; r++) {
    const row: Record<string, unknown> = {}
    for (let c = 0; c < names.length; c++) row[names[c]!] = jsonValue(columns[c]![r])
    rows[r] = row
  }
  return rows
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
