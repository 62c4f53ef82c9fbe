import type { DuckDBConnection } from '@duckdb/node-api'
import { queryRows } from '../db/query-rows.js'

/** Whether a table exists in the connection's current database (optional tables of other modules). */
export async function tableExists(conn: DuckDBConnection, table: string): Promise<boolean> {
  const rows = await queryRows(
    conn,
    `SELECT 1 FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table`,
    { table },
  )
  return rows.length > 0
}

/** Column names of a table, in order. */
export async function tableColumns(conn: DuckDBConnection, table: string): Promise<string[]> {
  const rows = await queryRows<{ column_name: string }>(
    conn,
    `SELECT column_name FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table ORDER BY column_index`,
    { table },
  )
  return rows.map((r) => r.column_name)
}

/** The single-column primary key of a table, or undefined. */
export async function primaryKeyOf(conn: DuckDBConnection, table: string): Promise<string | undefined> {
  const rows = await queryRows<{ cols: string[] }>(
    conn,
    `SELECT constraint_column_names AS cols FROM duckdb_constraints()
     WHERE database_name = current_database() AND table_name = $table AND constraint_type = 'PRIMARY KEY'`,
    { table },
  )
  const cols = rows[0]?.cols
  return cols && cols.length === 1 ? cols[0] : undefined
}
