import { type Execution, type ExecutionInput, validateExecution } from '../record.js'
import type { Store } from '../store.js'

/** One record that was not stored, and why. */
export interface Rejection {
  index: number
  task_id?: string
  error: string
}

/** Per-record outcome of a write: counts, rejections, and the ids of what was stored, in input order. */
export interface RecordResult {
  inserted: number
  updated: number
  rejected: Rejection[]
  task_ids: string[]
}

/** Options of a write. */
export interface RecordOptions {
  /** When the write queue is full: wait for room (library default) or fail fast with `unavailable` (faces). */
  whenFull?: 'wait' | 'reject'
}

/**
 * Validate and durably store executions. Resolves after the transaction that holds them committed;
 * a record whose task_id exists replaces that row (a retried task) and counts as updated.
 * @example
 * const result = await recordExecutions(store, [{ task_type: 'refactor', task_description: '...', ... }])
 * // { inserted: 1, updated: 0, rejected: [], task_ids: ['...'] }
 */
export async function recordExecutions(
  store: Store,
  records: readonly unknown[],
  options: RecordOptions = {},
): Promise<RecordResult> {
  const now = new Date()
  const valid: Execution[] = []
  const validIndex: number[] = []
  const rejected: Rejection[] = []
  records.forEach((record, index) => {
    const v = validateExecution(record, now)
    if (v.ok) {
      valid.push(v.execution)
      validIndex.push(index)
    } else {
      rejected.push({ index, ...(v.task_id === undefined ? {} : { task_id: v.task_id }), error: v.error })
    }
  })
  const outcomes = await store.enqueueWrite(valid, options.whenFull)
  const result: RecordResult = { inserted: 0, updated: 0, rejected, task_ids: [] }
  outcomes.forEach((outcome, i) => {
    const execution = valid[i]!
    if (outcome.status === 'rejected') {
      result.rejected.push({ index: validIndex[i]!, task_id: execution.task_id, error: outcome.error })
      return
    }
    result[outcome.status]++
    result.task_ids.push(execution.task_id)
  })
  result.rejected.sort((a, b) => a.index - b.index)
  return result
}

/** Store one execution; like `recordExecutions` with one record. */
export function recordExecution(
  store: Store,
  record: ExecutionInput | Record<string, unknown>,
  options?: RecordOptions,
): Promise<RecordResult> {
  return recordExecutions(store, [record], options)
}
