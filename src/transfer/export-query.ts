import type { DuckDBValue } from '@duckdb/node-api'
import { invalidInput } from '../errors.js'
import { EXECUTION_COLUMNS, type ExecutionColumn, parseTimestamp } from '../record.js'

/** Which rows to export: a time window and one repo, all optional. */
export interface ExportFilter {
  /** Only rows at or after this time (ISO 8601 or Date). */
  since?: Date | string
  /** Only rows before this time (ISO 8601 or Date). */
  until?: Date | string
  /** Only rows of this repo. */
  repo?: string
}

const FLOAT_COLUMNS = new Set<ExecutionColumn>([
  'routing_confidence',
  'duration_seconds',
  'cost_estimate',
  'actual_cost',
  'peak_memory_mb',
  'cpu_time_seconds',
])

/**
 * SQL expression of one column for the text formats: timestamps as ISO 8601 UTC, FLOATs and the
 * embedding in DuckDB's shortest round-trip form (exact as FLOAT32), metadata as JSON.
 */
function textExpression(column: ExecutionColumn, json: boolean): string {
  if (column === 'timestamp' || column === 'uploaded_at')
    return `strftime(${column}, '%Y-%m-%dT%H:%M:%S.%fZ')`
  if (column === 'task_id') return 'task_id::VARCHAR'
  if (FLOAT_COLUMNS.has(column) || column === 'embedding') return `${column}::VARCHAR${json ? '::JSON' : ''}`
  if (column === 'metadata') return json ? 'metadata' : 'metadata::VARCHAR'
  return column
}

/** The WHERE clause and bound values of an export filter. */
export function filterClause(filter: ExportFilter): { where: string; values: Record<string, DuckDBValue> } {
  const conditions: string[] = []
  const values: Record<string, DuckDBValue> = {}
  if (filter.since !== undefined) {
    conditions.push('timestamp >= $since::TIMESTAMP')
    values.since = sqlTimestamp(filter.since, 'since')
  }
  if (filter.until !== undefined) {
    conditions.push('timestamp < $until::TIMESTAMP')
    values.until = sqlTimestamp(filter.until, 'until')
  }
  if (filter.repo !== undefined) {
    conditions.push('repo = $repo')
    values.repo = filter.repo
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', values }
}

/** SELECT of the rows to export in one format; rows in time order. */
export function exportSelect(format: 'jsonl' | 'csv' | 'parquet', where: string): string {
  const order = `FROM executions ${where} ORDER BY timestamp, task_id`
  if (format === 'parquet') return `SELECT ${EXECUTION_COLUMNS.join(', ')} ${order}`
  if (format === 'csv') {
    return `SELECT ${EXECUTION_COLUMNS.map((c) => `${textExpression(c, false)} AS ${quote(c)}`).join(', ')} ${order}`
  }
  const fields = EXECUTION_COLUMNS.map((c) => `'${c}': ${textExpression(c, true)}`).join(', ')
  return `SELECT to_json({${fields}})::VARCHAR AS line ${order}`
}

function quote(column: ExecutionColumn): string {
  return `"${column}"`
}

function sqlTimestamp(value: Date | string, field: string): string {
  const date = typeof value === 'string' ? parseTimestamp(value) : value
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw invalidInput(`${field} must be an ISO 8601 date-time, got ${JSON.stringify(String(value))}`)
  }
  return date.toISOString().replace('T', ' ').replace('Z', '')
}
