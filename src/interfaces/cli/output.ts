import type { CliIo } from './command.js'

/** Print `value` as JSON (machine output) or through `render` (people). */
export function printResult<T>(io: CliIo, json: boolean, value: T, render: (value: T) => string): void {
  io.stdout.write(json ? `${JSON.stringify(value, jsonReplacer, 2)}\n` : `${render(value)}\n`)
}

/** JSON.stringify replacer for bigint, Date and typed arrays. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (value instanceof Float32Array) return Array.from(value)
  return value
}

/** Render rows as an aligned text table. */
export function formatTable(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  if (rows.length === 0) return '(no rows)'
  const cols = columns ?? Object.keys(rows[0]!)
  const cells = rows.map((row) => cols.map((c) => formatCell(row[c])))
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)))
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

/** Render a key/value object as aligned lines. */
export function formatKeyValues(entries: Record<string, unknown>): string {
  const width = Math.max(...Object.keys(entries).map((k) => k.length))
  return Object.entries(entries)
    .map(([k, v]) => `${k.padEnd(width)}  ${formatCell(v)}`)
    .join('\n')
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3)
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value, jsonReplacer)
  return String(value)
}
