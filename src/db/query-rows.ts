import type { DuckDBConnection, DuckDBType, DuckDBValue } from '@duckdb/node-api'

/** Run a statement with bound values and return its rows as plain JS objects (BIGINT as number, UUID as string). */
export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  values?: Record<string, DuckDBValue>,
  types?: Record<string, DuckDBType>,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, values, types)
  return reader.getRowObjectsJS().map((row) => {
    for (const key of Object.keys(row)) {
      const v = row[key]
      if (typeof v === 'bigint') row[key] = Number(v)
    }
    return row as T
  })
}
