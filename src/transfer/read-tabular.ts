import { createReadStream } from 'node:fs'
import type { DuckDBInstance } from '@duckdb/node-api'
import { openDatabase } from '../db/open-database.js'
import { queryRows } from '../db/query-rows.js'
import type { RecordSource, SourceRow } from './source-row.js'
import { checkColumns, rowToRecord } from './tabular-values.js'

// Every CSV value is read as text (typed per column afterwards, so that one bad cell rejects one record),
// "" stays an empty string (only an unquoted empty field is NULL), and lines may hold 16 MiB (a 10 MB string is rejected by validation, not by the reader).
const CSV_SOURCE =
  'read_csv($file, header = true, all_varchar = true, allow_quoted_nulls = false, max_line_size = 16777216, buffer_size = 33554432)'
const PARQUET_SOURCE = 'read_parquet($file)'

/**
 * Stream a CSV or Parquet file through a private in-memory DuckDB, chunk by chunk (never whole).
 * Unknown columns are refused up front. Line numbers of CSV assume one line per record after the header.
 */
export async function readTabular(file: string, format: 'csv' | 'parquet'): Promise<RecordSource> {
  const instance = await openDatabase(':memory:', { readOnly: false, memoryLimit: '1GB', threads: 2 })
  try {
    const source = format === 'csv' ? CSV_SOURCE : PARQUET_SOURCE
    const conn = await instance.connect()
    const columns = await queryRows<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM ${source}`, {
      file,
    })
    conn.closeSync()
    checkColumns(
      file,
      columns.map((c) => c.column_name),
    )
    const total =
      format === 'csv' ? Math.max(0, (await countLines(file)) - 1) : await parquetRows(instance, file)
    return { rows: streamRows(instance, source, file, format), total, fraction: () => undefined }
  } catch (error) {
    instance.closeSync()
    throw error
  }
}

async function* streamRows(
  instance: DuckDBInstance,
  source: string,
  file: string,
  format: 'csv' | 'parquet',
): AsyncGenerator<SourceRow> {
  const conn = await instance.connect()
  const first = format === 'csv' ? 2 : 1
  let index = 0
  try {
    const result = await conn.stream(`SELECT * FROM ${source}`, { file })
    for await (const chunk of result.yieldRowObjectJs()) {
      for (const row of chunk) yield { line: first + index++, record: rowToRecord(row, format === 'csv') }
    }
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

async function parquetRows(instance: DuckDBInstance, file: string): Promise<number> {
  const conn = await instance.connect()
  try {
    const [row] = await queryRows<{ n: number }>(
      conn,
      'SELECT sum(num_rows) AS n FROM parquet_file_metadata($file)',
      {
        file,
      },
    )
    return Number(row?.n ?? 0)
  } finally {
    conn.closeSync()
  }
}

/** Count newlines without loading the file (a 1 GB file takes about a second). */
async function countLines(file: string): Promise<number> {
  let lines = 0
  let last = 10
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++
    last = chunk.at(-1) ?? last
  }
  return last === 10 ? lines : lines + 1
}
