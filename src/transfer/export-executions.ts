import { once } from 'node:events'
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import type { Store } from '../store.js'
import { type ExportFilter, exportSelect, filterClause } from './export-query.js'
import type { ProgressListener } from './progress.js'
import { resolveFormat, type TransferFormat } from './transfer-format.js'

/** Options of `exportExecutions`. */
export interface ExportOptions extends ExportFilter {
  /** File format; default from the file's extension (.jsonl, .csv, .parquet). */
  format?: string
  onProgress?: ProgressListener
}

/** What an export wrote. */
export interface ExportReport {
  file: string
  format: TransferFormat
  rows: number
  seconds: number
}

/**
 * Write executions (all 27 columns, time order) to a JSONL, CSV or Parquet file that `importExecutions`
 * reads back exactly. The file appears only when complete (written aside, then renamed).
 * @example
 * await exportExecutions(store, 'out/last-week.parquet', { since: '2026-01-01', repo: 'orb/api' })
 */
export async function exportExecutions(
  store: Store,
  file: string,
  options: ExportOptions = {},
): Promise<ExportReport> {
  const format = resolveFormat(file, options.format)
  const { where, values } = filterClause(options)
  const sql = exportSelect(format, where)
  const started = performance.now()
  const partial = `${file}.partial`
  mkdirSync(dirname(file), { recursive: true })
  try {
    const rows = await store.read((conn) =>
      format === 'jsonl'
        ? writeJsonLines(conn, sql, values, partial, options.onProgress, started)
        : copyTo(conn, sql, values, partial, format),
    )
    renameSync(partial, file)
    const elapsedMs = performance.now() - started
    options.onProgress?.({ rows, total: rows, elapsedMs })
    return { file, format, rows, seconds: elapsedMs / 1000 }
  } catch (error) {
    rmSync(partial, { force: true })
    throw error
  }
}

async function copyTo(
  conn: DuckDBConnection,
  sql: string,
  values: Record<string, DuckDBValue>,
  file: string,
  format: 'csv' | 'parquet',
): Promise<number> {
  const options = format === 'csv' ? 'FORMAT csv, HEADER true' : 'FORMAT parquet, COMPRESSION zstd'
  const reader = await conn.runAndReadAll(`COPY (${sql}) TO $file (${options})`, { ...values, file })
  return Number(reader.getRowsJS()[0]?.[0] ?? 0)
}

async function writeJsonLines(
  conn: DuckDBConnection,
  sql: string,
  values: Record<string, DuckDBValue>,
  file: string,
  onProgress: ProgressListener | undefined,
  started: number,
): Promise<number> {
  const out = createWriteStream(file)
  let rows = 0
  try {
    const result = await conn.stream(sql, values)
    for await (const chunk of result.yieldRowsJs()) {
      if (chunk.length === 0) continue
      const text = `${chunk.map((row) => row[0]).join('\n')}\n`
      rows += chunk.length
      if (!out.write(text)) await once(out, 'drain')
      onProgress?.({ rows, total: undefined, elapsedMs: performance.now() - started })
    }
  } finally {
    out.end()
    await once(out, 'close')
  }
  return rows
}
