import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'

/** One chunk of (task_id, embedding) rows: ids, and their vectors packed row-major. */
export interface EmbeddingChunk {
  taskIds: string[]
  vectors: Float32Array
}

/**
 * Stream `task_id, embedding` rows of a query chunk by chunk (about 2,048 rows each) without turning
 * every float into a JS number: the FLOAT[384] child vector is copied as one Float32Array.
 * The query must select `task_id::VARCHAR` then a non-null `embedding`.
 */
export async function streamEmbeddings(
  conn: DuckDBConnection,
  sql: string,
  params: Record<string, DuckDBValue>,
  onChunk: (chunk: EmbeddingChunk) => void | Promise<void>,
): Promise<number> {
  const result = await conn.stream(sql, params)
  let total = 0
  for (;;) {
    const chunk = await result.fetchChunk()
    if (!chunk || chunk.rowCount === 0) break
    const n = chunk.rowCount
    const ids = chunk.getColumnVector(0)
    const taskIds: string[] = new Array(n)
    for (let i = 0; i < n; i++) taskIds[i] = String(ids.getItem(i))
    await onChunk({ taskIds, vectors: packVectors(chunk.getColumnVector(1), n) })
    total += n
  }
  return total
}

function packVectors(vector: { getItem(i: number): unknown }, n: number): Float32Array {
  // Fast path: the array vector's child holds all floats contiguously (a private field of node-api).
  const child = (vector as unknown as { childData?: { items?: unknown } }).childData?.items
  if (child instanceof Float32Array && child.length >= n * EMBEDDING_DIMENSIONS)
    return child.slice(0, n * EMBEDDING_DIMENSIONS)
  const out = new Float32Array(n * EMBEDDING_DIMENSIONS)
  for (let i = 0; i < n; i++) {
    const item = vector.getItem(i) as { items: readonly unknown[] } | null
    item?.items.forEach((x, d) => {
      out[i * EMBEDDING_DIMENSIONS + d] = Number(x)
    })
  }
  return out
}
