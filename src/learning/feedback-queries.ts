import { queryRows } from '../db/query-rows.js'
import { invalidInput, LearningError } from '../errors.js'
import type { Store } from '../store.js'

/** One stored feedback row. */
export interface FeedbackRow {
  feedback_id: string
  task_id: string
  timestamp: string
  satisfaction: string | null
  rating: number | null
  accepted: boolean | null
  issue_type: string | null
  comment: string | null
  user_id: string | null
  visibility: string
}

/** One feedback as exported anonymously: no task id, description, repo or user id; comments only if public. */
export interface AnonymousFeedback {
  day: string
  satisfaction: string | null
  rating: number | null
  accepted: boolean | null
  issue_type: string | null
  comment: string | null
  visibility: string
  task_type: string | null
  model_tier: string | null
  pool_type: string | null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function uuid(field: string, value: string): string {
  if (!UUID.test(value)) throw invalidInput(`${field} must be a valid UUID, got ${JSON.stringify(value)}`)
  return value.toLowerCase()
}

/** The feedback history of one task, oldest first. */
export function listFeedback(store: Store, input: { task_id: string }): Promise<FeedbackRow[]> {
  const id = uuid('task_id', input.task_id)
  return store.read((c) =>
    queryRows<FeedbackRow>(
      c,
      `SELECT feedback_id::VARCHAR AS feedback_id, task_id::VARCHAR AS task_id, strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%gZ') AS timestamp,
         satisfaction, rating, accepted, issue_type, comment, user_id, visibility
       FROM feedback WHERE task_id = $id::UUID ORDER BY timestamp, feedback_id`,
      { id },
    ),
  )
}

/** Delete one feedback row (the execution's user_rating / user_accepted are left as they are). */
export async function deleteFeedback(
  store: Store,
  input: { feedback_id: string },
): Promise<{ deleted: number }> {
  const id = uuid('feedback_id', input.feedback_id)
  const rows = await store.withWriter((c) =>
    queryRows<{ n: number }>(c, 'DELETE FROM feedback WHERE feedback_id = $id::UUID RETURNING 1 AS n', {
      id,
    }),
  )
  if (rows.length === 0) throw new LearningError('not_found', `feedback ${id} does not exist`)
  return { deleted: rows.length }
}

/** Every feedback of the last `days` days (default all), anonymised for sharing. */
export function exportFeedback(store: Store, input: { days?: number } = {}): Promise<AnonymousFeedback[]> {
  const days = input.days ?? 36_500
  if (!Number.isFinite(days) || days <= 0) throw invalidInput(`days must be a positive number, got ${days}`)
  return store.read((c) =>
    queryRows<AnonymousFeedback>(
      c,
      `SELECT strftime(f.timestamp, '%Y-%m-%d') AS day, f.satisfaction, f.rating, f.accepted, f.issue_type,
         CASE WHEN f.visibility = 'public' THEN f.comment END AS comment, f.visibility,
         e.task_type, e.model_tier, e.pool_type
       FROM feedback f LEFT JOIN executions e ON e.task_id = f.task_id
       WHERE f.timestamp >= now()::TIMESTAMP - to_days($days::INTEGER)
       ORDER BY day, f.rating NULLS LAST`,
      { days: Math.ceil(days) },
    ),
  )
}
