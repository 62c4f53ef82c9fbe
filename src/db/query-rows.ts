import type {
  DuckDBConnection,
  DuckDBPreparedStatement,
  DuckDBResultReader,
  DuckDBType,
  DuckDBValue,
} from '@duckdb/node-api'

/** Run a statement with bound values and return its rows as plain JS objects (BIGINT as number, UUID as string). */
export async function queryRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  values?: Record<string, DuckDBValue>,
  types?: Record<string, DuckDBType>,
): Promise<T[]> {
  return plainRows(await conn.runAndReadAll(sql, values, types))
}

const MAX_PREPARED_PER_CONNECTION = 64
const prepared = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>()

/**
 * `queryRows` through a statement prepared once per connection and SQL text: for a point lookup of a few
 * rows, parsing and planning cost as much as running it. Use for hot, fixed-shape SQL only.
 */
export async function queryPreparedRows<T = Record<string, unknown>>(
  conn: DuckDBConnection,
  sql: string,
  values: Record<string, DuckDBValue>,
  types?: Record<string, DuckDBType>,
): Promise<T[]> {
  const statement = await preparedStatement(conn, sql)
  statement.bind(values, types)
  return plainRows(await statement.runAndReadAll())
}

/** Run a hot, fixed-shape statement (an INSERT of one row) through the same per-connection cache. */
export async function runPrepared(
  conn: DuckDBConnection,
  sql: string,
  values: Record<string, DuckDBValue>,
): Promise<void> {
  const statement = await preparedStatement(conn, sql)
  statement.bind(values)
  await statement.run()
}

async function preparedStatement(conn: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement> {
  let bySql = prepared.get(conn)
  if (!bySql) {
    bySql = new Map()
    prepared.set(conn, bySql)
  }
  let statement = bySql.get(sql)
  if (!statement) {
    statement = await conn.prepare(sql)
    // Forget the oldest shape when full (its native statement is freed with the object).
    if (bySql.size >= MAX_PREPARED_PER_CONNECTION) bySql.delete(bySql.keys().next().value!)
    bySql.set(sql, statement)
  }
  return statement
}

function plainRows<T>(reader: DuckDBResultReader): T[] {
  return reader.getRowObjectsJS().map((row) => {
    for (const key of Object.keys(row)) {
      const v = row[key]
      if (typeof v === 'bigint') row[key] = Number(v)
    }
    return row as T
  })
}
