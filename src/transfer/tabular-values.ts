import { invalidInput } from '../errors.js'
import { EXECUTION_COLUMNS, type ExecutionColumn } from '../record.js'

type Kind = 'int' | 'float' | 'bool' | 'json' | 'text'

const KINDS: Partial<Record<ExecutionColumn, Kind>> = {
  file_count: 'int',
  estimated_tokens: 'int',
  complexity_score: 'int',
  quality_score: 'int',
  user_rating: 'int',
  routing_confidence: 'float',
  duration_seconds: 'float',
  cost_estimate: 'float',
  actual_cost: 'float',
  peak_memory_mb: 'float',
  cpu_time_seconds: 'float',
  success: 'bool',
  user_accepted: 'bool',
  embedding: 'json',
  metadata: 'json',
}

/** Derived (VIRTUAL) columns an export of `SELECT *` may carry: recomputed by the database, so skipped. */
export const DERIVED_COLUMNS: ReadonlySet<string> = new Set([
  'cost_error_pct',
  'cost_error_abs',
  'duration_bucket',
])

const KNOWN = new Set<string>(EXECUTION_COLUMNS)

/** Refuse a file with columns that are not execution fields, before anything is imported. */
export function checkColumns(file: string, columns: readonly string[]): void {
  const unknown = columns.filter((c) => !KNOWN.has(c) && !DERIVED_COLUMNS.has(c))
  if (unknown.length > 0) {
    throw invalidInput(
      `${file} has unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((c) => JSON.stringify(c)).join(', ')} ` +
        '(extra data belongs in metadata)',
    )
  }
}

/**
 * Turn one row of a CSV (every value a string) or Parquet file into an execution input: NULL means
 * "not given", CSV text becomes the column's type where it parses; what does not parse is left as it is
 * so that validation names the field and the value.
 */
export function rowToRecord(row: Record<string, unknown>, fromText: boolean): Record<string, unknown> {
  const record: Record<string, unknown> = {}
  for (const [column, value] of Object.entries(row)) {
    if (value === null || value === undefined || DERIVED_COLUMNS.has(column)) continue
    const kind = KINDS[column as ExecutionColumn] ?? 'text'
    record[column] = fromText && typeof value === 'string' ? fromString(value, kind) : fromTyped(value, kind)
  }
  return record
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

function fromString(value: string, kind: Kind): unknown {
  switch (kind) {
    case 'int':
    case 'float':
      return NUMBER.test(value.trim()) ? Number(value) : value
    case 'bool': {
      const lower = value.trim().toLowerCase()
      return lower === 'true' ? true : lower === 'false' ? false : value
    }
    case 'json':
      return parseJson(value)
    default:
      return value
  }
}

function fromTyped(value: unknown, kind: Kind): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value
  if (kind === 'json' && typeof value === 'string') return parseJson(value)
  return value
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}
