import { queryRows } from '../db/query-rows.js'
import { invalidInput, LearningError } from '../errors.js'
import { EXECUTION_COLUMNS, type Execution } from '../record.js'
import type { Store } from '../store.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Options of `getExecution`. */
export interface GetExecutionOptions {
  /** Return the 384-dimension embedding too. Default false (it is `null` in the result). */
  includeEmbedding?: boolean
}

/**
 * One stored execution by task_id; `not_found` when there is none.
 * @example const e = await getExecution(store, '0b7e…')
 */
export async function getExecution(
  store: Store,
  taskId: string,
  options: GetExecutionOptions = {},
): Promise<Execution> {
  if (!UUID.test(taskId))
    throw invalidInput(`task_id must be a UUID, got ${JSON.stringify(taskId.slice(0, 80))}`)
  const columns = EXECUTION_COLUMNS.map((c) =>
    c === 'embedding' && !options.includeEmbedding
      ? 'NULL AS embedding'
      : c === 'metadata'
        ? 'metadata::VARCHAR AS metadata'
        : c,
  )
  const [row] = await store.read((conn) =>
    queryRows<Record<string, unknown>>(
      conn,
      `SELECT ${columns.join(', ')} FROM executions WHERE task_id = $id::UUID`,
      { id: taskId.toLowerCase() },
    ),
  )
  if (!row) throw new LearningError('not_found', `no execution with task_id ${taskId}`)
  return {
    ...(row as unknown as Execution),
    embedding: Array.isArray(row.embedding) ? Float32Array.from(row.embedding as number[]) : null,
    metadata: typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as Record<string, unknown>) : null,
  }
}
