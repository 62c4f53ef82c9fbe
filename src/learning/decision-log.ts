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
        await conn.run(INSERT, {
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
