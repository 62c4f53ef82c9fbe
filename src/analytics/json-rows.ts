/** Turn a DuckDB row into JSON-friendly values: ISO strings for dates, numbers for bigints, arrays for lists. */
export function jsonRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) out[key] = jsonValue(value)
  return out
}

function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map(jsonValue)
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>)
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  return value
}
