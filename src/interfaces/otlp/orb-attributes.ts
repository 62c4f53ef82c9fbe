import type { ExecutionColumn } from '../../record.js'

/** The JSON type an `orb.*` attribute must have. */
export type OrbAttributeType = 'string' | 'number' | 'integer' | 'boolean'

/** One of our own span attributes and the execution column it fills. */
export interface OrbAttribute {
  readonly attribute: string
  readonly column: ExecutionColumn
  readonly type: OrbAttributeType
  readonly description: string
}

/**
 * Every `orb.*` attribute a task span may carry (docs/otlp.md lists the same table). Attributes under
 * `orb.metadata.` go into the record's metadata object, without the prefix.
 */
export const ORB_ATTRIBUTES: readonly OrbAttribute[] = [
  {
    attribute: 'orb.task_id',
    column: 'task_id',
    type: 'string',
    description: 'task UUID (other strings are hashed to one; the original is kept in metadata)',
  },
  {
    attribute: 'orb.task_type',
    column: 'task_type',
    type: 'string',
    description: 'kind of task, e.g. refactor',
  },
  {
    attribute: 'orb.task_description',
    column: 'task_description',
    type: 'string',
    description: 'what the task asked for',
  },
  { attribute: 'orb.repo', column: 'repo', type: 'string', description: 'repository the task ran on' },
  { attribute: 'orb.file_count', column: 'file_count', type: 'integer', description: 'files touched' },
  {
    attribute: 'orb.estimated_tokens',
    column: 'estimated_tokens',
    type: 'integer',
    description: 'token estimate made before routing',
  },
  {
    attribute: 'orb.model_tier',
    column: 'model_tier',
    type: 'string',
    description: 'tier the router chose (else mapped from gen_ai.request.model)',
  },
  {
    attribute: 'orb.pool_type',
    column: 'pool_type',
    type: 'string',
    description: 'worker pool that ran the task',
  },
  {
    attribute: 'orb.swarm_topology',
    column: 'swarm_topology',
    type: 'string',
    description: 'swarm topology, if any',
  },
  {
    attribute: 'orb.routing_confidence',
    column: 'routing_confidence',
    type: 'number',
    description: "router's confidence, 0..1",
  },
  {
    attribute: 'orb.complexity_score',
    column: 'complexity_score',
    type: 'integer',
    description: 'task complexity, 0..100',
  },
  {
    attribute: 'orb.success',
    column: 'success',
    type: 'boolean',
    description: 'outcome (else: span status is not ERROR)',
  },
  {
    attribute: 'orb.quality_score',
    column: 'quality_score',
    type: 'integer',
    description: 'quality, 0..100',
  },
  {
    attribute: 'orb.cost.estimate',
    column: 'cost_estimate',
    type: 'number',
    description: 'estimated cost in USD before running',
  },
  {
    attribute: 'orb.cost.actual',
    column: 'actual_cost',
    type: 'number',
    description: 'actual cost in USD (else summed from model calls)',
  },
  {
    attribute: 'orb.error_message',
    column: 'error_message',
    type: 'string',
    description: 'error text (else the span status message)',
  },
  {
    attribute: 'orb.user.accepted',
    column: 'user_accepted',
    type: 'boolean',
    description: 'whether the user accepted the result',
  },
  { attribute: 'orb.user.rating', column: 'user_rating', type: 'integer', description: 'user rating, 1..5' },
  {
    attribute: 'orb.peak_memory_mb',
    column: 'peak_memory_mb',
    type: 'number',
    description: 'peak memory in MB',
  },
  {
    attribute: 'orb.cpu_time_seconds',
    column: 'cpu_time_seconds',
    type: 'number',
    description: 'CPU time in seconds',
  },
  {
    attribute: 'orb.solution_summary',
    column: 'solution_summary',
    type: 'string',
    description: 'how the task was solved',
  },
]

/** Prefix of attributes copied into metadata. */
export const ORB_METADATA_PREFIX = 'orb.metadata.'
