import { runPrepared } from '../db/query-rows.js'
import type { Store } from '../store.js'

/** One row of `routing_decisions`. */
export interface DecisionRecord {
  decision_id: string
  task_id: string
  timestamp: Date
  task_type: string
  repo: string
  complexity_score: number
  estimated_tokens: number
  inputs: unknown
  options: unknown
  chosen_tier: string
  chosen_pool: string
  propensity: number
  tier_probabilities: Record<string, number>
  greedy_tier: string
  rule_tier: string
  predicted_success: number
  expected_cost: number
  policy: unknown
  model_version: string
}

const INSERT = `INSERT INTO routing_decisions VALUES ($decision_id::UUID, $task_id::UUID, make_timestamp($ms::BIGINT * 1000),
  $task_type, $repo, $complexity_score, $estimated_tokens, $inputs::JSON, $options::JSON, $chosen_tier, $chosen_pool,
  $propensity, $tier_probabilities::JSON, $greedy_tier, $rule_tier, $predicted_success, $expected_cost, $policy::JSON,
  $model_version)`

/** Store decisions in one transaction on the writer connection; nothing is written if one fails. */
export async function logDecisions(store: Store, decisions: readonly DecisionRecord[]): Promise<void> {
  await store.withWriter(async (conn) => {
    await conn.run('BEGIN TRANSACTION')
    try {
      for (const d of decisions) {
        await runPrepared(conn, INSERT, {
          decision_id: d.decision_id,
          task_id: d.task_id,
          ms: d.timestamp.getTime(),
          task_type: d.task_type,
          repo: d.repo,
          complexity_score: d.complexity_score,
          estimated_tokens: d.estimated_tokens,
          inputs: JSON.stringify(d.inputs),
          options: JSON.stringify(d.options),
          chosen_tier: d.chosen_tier,
          chosen_pool: d.chosen_pool,
          propensity: d.propensity,
          tier_probabilities: JSON.stringify(d.tier_probabilities),
          greedy_tier: d.greedy_tier,
          rule_tier: d.rule_tier,
          predicted_success: d.predicted_success,
          expected_cost: d.expected_cost,
          policy: JSON.stringify(d.policy),
          model_version: d.model_version,
        })
      }
      await conn.run('COMMIT')
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined)
      throw error
    }
  })
}

interface Buffer {
  pending: DecisionRecord[]
  timer: NodeJS.Timeout | undefined
  flushing: Promise<void>
}

const buffers = new WeakMap<Store, Buffer>()
/** Decisions waiting before a background flush is started regardless of the timer. */
const FLUSH_AT = 500
/** Longest a decision waits in memory before it is written. */
const FLUSH_AFTER_MS = 50

/**
 * Queue a decision for the log; it is written within FLUSH_AFTER_MS (or once FLUSH_AT are waiting) in one
 * transaction with the others, so a recommendation never waits for a commit. `flushDecisions` forces it.
 */
export function queueDecision(store: Store, decision: DecisionRecord): void {
  let buffer = buffers.get(store)
  if (!buffer) {
    buffer = { pending: [], timer: undefined, flushing: Promise.resolve() }
    buffers.set(store, buffer)
  }
  buffer.pending.push(decision)
  if (buffer.pending.length >= FLUSH_AT) {
    void flushDecisions(store).catch(warn)
  } else if (!buffer.timer) {
    buffer.timer = setTimeout(() => void flushDecisions(store).catch(warn), FLUSH_AFTER_MS)
    buffer.timer.unref()
  }
}

/** Write every queued decision of the store now; resolves when they are committed. */
export function flushDecisions(store: Store): Promise<void> {
  const buffer = buffers.get(store)
  if (!buffer) return Promise.resolve()
  if (buffer.timer) clearTimeout(buffer.timer)
  buffer.timer = undefined
  const batch = buffer.pending.splice(0)
  buffer.flushing = buffer.flushing
    .catch(() => undefined)
    .then(() => (batch.length > 0 ? logDecisions(store, batch) : undefined))
  return buffer.flushing
}

function warn(error: unknown): void {
  process.emitWarning(`orb-learning: routing decisions could not be logged: ${String(error)}`)
}
