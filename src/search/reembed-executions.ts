import type { DuckDBValue } from '@duckdb/node-api'
import { setMetadata } from '../db/metadata-table.js'
import { queryRows } from '../db/query-rows.js'
import { type Execution, embeddingText } from '../record.js'
import type { Store } from '../store.js'

const CHUNK = 500

/**
 * Recompute every row's embedding with the store's embedder (after a change of embedder), chunk by
 * chunk, then record the embedder id. `onProgress(done, total)` after each chunk.
 */
export async function reembedExecutions(
  store: Store,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const ids = await store.read((c) =>
    queryRows<{ id: string }>(c, 'SELECT task_id::VARCHAR AS id FROM executions ORDER BY timestamp'),
  )
  let done = 0
  for (let start = 0; start < ids.length; start += CHUNK) {
    const params: Record<string, DuckDBValue> = {}
    const chunk = ids.slice(start, start + CHUNK)
    chunk.forEach((r, i) => {
      params[`id${i}`] = r.id
    })
    const list = chunk.map((_, i) => `$id${i}::UUID`).join(', ')
    const rows = await store.read((c) =>
      queryRows<Execution & { task_id: string }>(
        c,
        `SELECT task_id::VARCHAR AS task_id, task_type, task_description, repo, model_tier, pool_type,
                swarm_topology, success, solution_summary FROM executions WHERE task_id IN (${list})`,
        params,
      ),
    )
    const vectors = await store.embedder.embed(rows.map(embeddingText))
    const values: Record<string, DuckDBValue> = {}
    const tuples = rows.map((r, i) => {
      values[`i${i}`] = r.task_id
      const v = vectors[i]
      values[`v${i}`] = v ? `[${Array.from(v).join(',')}]` : null
      return `($i${i}::UUID, $v${i}::FLOAT[384])`
    })
    if (tuples.length > 0)
      await store.withWriter((c) =>
        c.run(
          `UPDATE executions SET embedding = v.e FROM (VALUES ${tuples.join(', ')}) AS v(id, e) WHERE task_id = v.id`,
          values,
        ),
      )
    done += rows.length
    onProgress?.(done, ids.length)
  }
  await store.withWriter((c) => setMetadata(c, 'embedder_id', store.embedder.id))
  return done
}
