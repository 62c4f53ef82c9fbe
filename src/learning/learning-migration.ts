import type { Migration } from '../db/migrations.js'

/** Migration 4: the routing decision log of the learning router, and the feedback rate-limit index. */
export const LEARNING_MIGRATION: Migration = {
  version: 4,
  name: 'routing decision log (learning router) and feedback lookups',
  statements: [
    `CREATE TABLE IF NOT EXISTS routing_decisions (
      decision_id UUID PRIMARY KEY,
      task_id UUID NOT NULL,
      timestamp TIMESTAMP NOT NULL,
      task_type VARCHAR NOT NULL,
      repo VARCHAR NOT NULL,
      complexity_score INTEGER NOT NULL CHECK (complexity_score BETWEEN 0 AND 100),
      estimated_tokens INTEGER NOT NULL CHECK (estimated_tokens >= 0),
      inputs JSON NOT NULL,
      options JSON NOT NULL,
      chosen_tier VARCHAR NOT NULL,
      chosen_pool VARCHAR NOT NULL,
      propensity DOUBLE NOT NULL CHECK (propensity > 0 AND propensity <= 1),
      tier_probabilities JSON NOT NULL,
      greedy_tier VARCHAR NOT NULL,
      rule_tier VARCHAR NOT NULL,
      predicted_success DOUBLE NOT NULL,
      expected_cost DOUBLE NOT NULL,
      policy JSON NOT NULL,
      model_version VARCHAR NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS idx_routing_decisions_task ON routing_decisions (task_id)',
    'CREATE INDEX IF NOT EXISTS idx_routing_decisions_time ON routing_decisions (timestamp)',
    'CREATE INDEX IF NOT EXISTS idx_feedback_task_user ON feedback (task_id, user_id, timestamp)',
  ],
}
