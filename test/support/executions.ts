import { randomUUID } from 'node:crypto'

/** A valid execution record; `overrides` replace fields, `daysAgo` moves the timestamp back. */
export function execution(
  overrides: Record<string, unknown> & { daysAgo?: number } = {},
): Record<string, unknown> {
  const { daysAgo = 0, ...rest } = overrides
  return {
    task_id: randomUUID(),
    timestamp: new Date(Date.now() - daysAgo * 86_400_000 - 1000).toISOString(),
    task_type: 'refactor',
    task_description: 'Refactor the JSON parser into smaller functions',
    repo: 'orb/api',
    file_count: 3,
    estimated_tokens: 1200,
    model_tier: 'medium',
    pool_type: 'mahavishnu',
    swarm_topology: 'mesh',
    routing_confidence: 0.8,
    complexity_score: 45,
    success: true,
    duration_seconds: 12.5,
    quality_score: 82,
    cost_estimate: 0.02,
    actual_cost: 0.025,
    error_type: null,
    error_message: null,
    user_accepted: null,
    user_rating: null,
    peak_memory_mb: 256,
    cpu_time_seconds: 3.5,
    solution_summary: 'Split parse() into tokenize() and build()',
    metadata: { agent: 'coder' },
    ...rest,
  }
}
