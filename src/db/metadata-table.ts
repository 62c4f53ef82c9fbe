import type { DuckDBConnection } from '@duckdb/node-api'

/** Read one value of the `metadata` key/value table. */
export async function getMetadata(conn: DuckDBConnection, key: string): Promise<string | undefined> {
  const reader = await conn.runAndReadAll('SELECT value FROM metadata WHERE key = $key', { key })
  const value = reader.getRowsJS()[0]?.[0]
  return value === undefined || value === null ? undefined : String(value)
}

/** Write one value of the `metadata` key/value table. */
export async function setMetadata(conn: DuckDBConnection, key: string, value: string): Promise<void> {
  await conn.run(
    `INSERT INTO metadata (key, value, updated_at) VALUES ($key, $value, now()::TIMESTAMP)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    { key, value },
  )
}
