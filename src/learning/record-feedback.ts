import { randomUUID } from 'node:crypto'
import { invalidateRollups } from '../analytics/rollup-refresh.js'
import { queryRows } from '../db/query-rows.js'
import { LearningError } from '../errors.js'
import type { Store } from '../store.js'
import { flushDecisions } from './decision-log.js'
import {
  FEEDBACK_COOLDOWN_SECONDS,
  type FeedbackInput,
  MAX_FEEDBACK_PER_TASK_USER,
  parseFeedback,
} from './feedback-schema.js'
import { addFeedbackEvidence } from './router-state.js'

/** What recordFeedback stored. */
export interface FeedbackResult {
  feedback_id: string
  task_id: string
  timestamp: string
  /** 'recorded': joined to its execution; 'pending_execution': the task was routed but has not reported yet. */
  status: 'recorded' | 'pending_execution'
  /** As given, or derived from model_appropriate / speed_acceptable / expectations_met. */
  satisfaction: string | null
  issue_type: string | null
  visibility: 'private' | 'team' | 'public'
}

interface TaskRow {
  model_tier: string
  pool_type: string
  task_type: string
  repo: string
  complexity_score: number
}

/**
 * Store user feedback on a task as its own row, update the execution's user_rating / user_accepted, and
 * feed it to the router. Unknown task ids are refused (not_found) unless a routing decision exists for
 * them: then the feedback is kept and joined when the execution arrives. Spam is refused (conflict):
 * one feedback per task and user per minute, five in all.
 * @example
 * await recordFeedback(store, { task_id, satisfaction: 'poor', issue_type: 'wrong_model', user_id: 'ana' })
 */
export async function recordFeedback(store: Store, input: FeedbackInput): Promise<FeedbackResult> {
  const f = parseFeedback(input)
  await flushDecisions(store)
  const feedbackId = randomUUID()
  const now = new Date()
  const { execution } = await store.withWriter(async (conn) => {
    const [execution] = await queryRows<TaskRow>(
      conn,
      'SELECT model_tier, pool_type, task_type, repo, complexity_score FROM executions WHERE task_id = $id::UUID',
      { id: f.task_id },
    )
    if (!execution) {
      const [decision] = await queryRows(
        conn,
        'SELECT 1 FROM routing_decisions WHERE task_id = $id::UUID LIMIT 1',
        {
          id: f.task_id,
        },
      )
      if (!decision)
        throw new LearningError('not_found', `task_id ${f.task_id} has no execution and no routing decision`)
    }
    const [previous] = await queryRows<{ n: number; last_age: number | null }>(
      conn,
      `SELECT count(*) AS n, ($now::BIGINT - max(epoch_ms(timestamp))) / 1000.0 AS last_age
       FROM feedback WHERE task_id = $id::UUID AND user_id IS NOT DISTINCT FROM $user`,
      { id: f.task_id, user: f.user_id ?? null, now: now.getTime() },
    )
    const who = f.user_id === undefined ? 'anonymous users' : `user ${JSON.stringify(f.user_id)}`
    if (previous && previous.n >= MAX_FEEDBACK_PER_TASK_USER) {
      throw new LearningError(
        'conflict',
        `${who} already left ${previous.n} feedbacks on task ${f.task_id} (limit ${MAX_FEEDBACK_PER_TASK_USER})`,
      )
    }
    if (previous?.last_age != null && previous.last_age < FEEDBACK_COOLDOWN_SECONDS) {
      throw new LearningError(
        'conflict',
        `duplicate feedback: ${who} left feedback on task ${f.task_id} ${Math.round(previous.last_age)} s ago; wait ${FEEDBACK_COOLDOWN_SECONDS} s`,
      )
    }
    await conn.run('BEGIN TRANSACTION')
    try {
      await conn.run(
        `INSERT INTO feedback (feedback_id, task_id, timestamp, satisfaction, rating, accepted, issue_type, comment, user_id, visibility)
         VALUES ($fid::UUID, $id::UUID, make_timestamp($ms::BIGINT * 1000), $satisfaction, $rating, $accepted, $issue_type, $comment, $user, $visibility)`,
        {
          fid: feedbackId,
          id: f.task_id,
          ms: now.getTime(),
          satisfaction: f.satisfaction ?? null,
          rating: f.rating ?? null,
          accepted: f.accepted ?? null,
          issue_type: f.issue_type ?? null,
          comment: f.comment ?? null,
          user: f.user_id ?? null,
          visibility: f.visibility,
        },
      )
      if (execution && (f.rating !== undefined || f.accepted !== undefined)) {
        const [changed] = await queryRows<{ ts: string }>(
          conn,
          `UPDATE executions SET user_rating = coalesce($rating, user_rating), user_accepted = coalesce($accepted, user_accepted)
           WHERE task_id = $id::UUID RETURNING strftime(timestamp, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts`,
          { id: f.task_id, rating: f.rating ?? null, accepted: f.accepted ?? null },
        )
        // Ratings and acceptance are rollup measures: the day of this execution must be recomputed.
        if (changed) invalidateRollups(store, changed.ts, changed.ts)
      }
      await conn.run('COMMIT')
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined)
      throw error
    }
    return { execution }
  })
  await addFeedbackEvidence(store, execution, f)
  return {
    feedback_id: feedbackId,
    task_id: f.task_id,
    timestamp: now.toISOString(),
    status: execution ? 'recorded' : 'pending_execution',
    satisfaction: f.satisfaction ?? null,
    issue_type: f.issue_type ?? null,
    visibility: f.visibility,
  }
}
