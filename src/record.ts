import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { invalidInput } from './errors.js'
import { EMBEDDING_DIMENSIONS } from './search/dimensions.js'

export { EMBEDDING_DIMENSIONS }
/** Longest accepted free text (task_description, error_message, solution_summary), in characters. */
export const MAX_TEXT_LENGTH = 10_000
/** Longest accepted name (task_type, repo, model_tier, pool_type, swarm_topology, error_type), in characters. */
export const MAX_NAME_LENGTH = 200
/** Largest accepted metadata object, serialised as JSON, in bytes. */
export const MAX_METADATA_BYTES = 65_536
/** How far in the future a timestamp may lie (clock skew between orchestrator and store). */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000
const INT32_MAX = 2_147_483_647

const name = z
  .string()
  .max(MAX_NAME_LENGTH)
  .refine((s) => s.trim().length > 0, 'must not be empty')
const text = z.string().max(MAX_TEXT_LENGTH)
const requiredText = text.refine((s) => s.trim().length > 0, 'must not be empty')
const count = z.number().int().min(0).max(INT32_MAX)
const nonNegative = z
  .number()
  .min(0)
  .refine((n) => !Object.is(n, -0), 'must be >= 0, got -0')
const percent = z.number().int().min(0).max(100)

const timestamp = z.union([z.date(), z.string()]).transform((value, ctx) => {
  const date = typeof value === 'string' ? parseTimestamp(value) : value
  if (date === undefined || Number.isNaN(date.getTime())) {
    ctx.addIssue({ code: 'custom', message: `must be an ISO 8601 date-time, got ${JSON.stringify(value)}` })
    return z.NEVER
  }
  return date
})

const embedding = z
  // Elements are checked by the refinement below, so that NaN or a string says "finite numbers".
  .union([z.instanceof(Float32Array), z.array(z.unknown())])
  .refine((v) => v.length === EMBEDDING_DIMENSIONS, {
    error: (issue) =>
      `must have ${EMBEDDING_DIMENSIONS} dimensions, got ${(issue.input as ArrayLike<number>).length}`,
  })
  .refine((v) => Array.prototype.every.call(v, Number.isFinite), 'must contain only finite numbers')
  .transform((v) => (v instanceof Float32Array ? v : Float32Array.from(v as number[])))

const metadata = z
  .record(z.string(), z.unknown())
  .refine((m) => (JSON.stringify(m) ?? '').length <= MAX_METADATA_BYTES, {
    message: `must serialise to at most ${MAX_METADATA_BYTES} bytes of JSON`,
  })

/**
 * The execution record: one row of `executions`, field names = column names.
 * This schema is the single source of truth for the TypeScript type, validation and the JSON schema.
 */
export const ExecutionSchema = z.strictObject({
  task_id: z
    .uuid()
    .transform((s) => s.toLowerCase())
    .optional(),
  timestamp: timestamp.optional(),
  task_type: name,
  task_description: requiredText,
  repo: name,
  file_count: count.default(0),
  estimated_tokens: count.default(0),
  model_tier: name,
  pool_type: name,
  swarm_topology: name.nullish(),
  routing_confidence: z.number().min(0).max(1),
  complexity_score: percent,
  success: z.boolean(),
  duration_seconds: nonNegative,
  quality_score: percent.nullish(),
  cost_estimate: nonNegative,
  actual_cost: nonNegative,
  error_type: name.nullish(),
  error_message: text.nullish(),
  user_accepted: z.boolean().nullish(),
  user_rating: z.number().int().min(1).max(5).nullish(),
  peak_memory_mb: nonNegative.nullish(),
  cpu_time_seconds: nonNegative.nullish(),
  solution_summary: text.nullish(),
  embedding: embedding.nullish(),
  metadata: metadata.nullish(),
  uploaded_at: timestamp.optional(),
})

/** What a caller sends: optional fields may be omitted, timestamps may be ISO strings. */
export type ExecutionInput = z.input<typeof ExecutionSchema>

/** A validated execution with every default applied: what is written to the table. */
export interface Execution {
  task_id: string
  timestamp: Date
  task_type: string
  task_description: string
  repo: string
  file_count: number
  estimated_tokens: number
  model_tier: string
  pool_type: string
  swarm_topology: string | null
  routing_confidence: number
  complexity_score: number
  success: boolean
  duration_seconds: number
  quality_score: number | null
  cost_estimate: number
  actual_cost: number
  error_type: string | null
  error_message: string | null
  user_accepted: boolean | null
  user_rating: number | null
  peak_memory_mb: number | null
  cpu_time_seconds: number | null
  solution_summary: string | null
  embedding: Float32Array | null
  metadata: Record<string, unknown> | null
  uploaded_at: Date | null
}

/** The 27 columns of `executions`, in table order. */
export const EXECUTION_COLUMNS = [
  'task_id',
  'timestamp',
  'task_type',
  'task_description',
  'repo',
  'file_count',
  'estimated_tokens',
  'model_tier',
  'pool_type',
  'swarm_topology',
  'routing_confidence',
  'complexity_score',
  'success',
  'duration_seconds',
  'quality_score',
  'cost_estimate',
  'actual_cost',
  'error_type',
  'error_message',
  'user_accepted',
  'user_rating',
  'peak_memory_mb',
  'cpu_time_seconds',
  'solution_summary',
  'embedding',
  'metadata',
  'uploaded_at',
] as const satisfies readonly (keyof Execution)[]

export type ExecutionColumn = (typeof EXECUTION_COLUMNS)[number]

/** Outcome of validating one record: the record, or the message naming field, rule and value. */
export type Validation = { ok: true; execution: Execution } | { ok: false; error: string; task_id?: string }

/**
 * Validate one record and apply the defaults (task_id, timestamp, counts).
 * @example
 * const v = validateExecution({ task_type: 'refactor', ... })
 * if (!v.ok) console.error(v.error) // "routing_confidence must be between 0 and 1, got 1.7"
 */
export function validateExecution(input: unknown, now: Date = new Date()): Validation {
  const parsed = ExecutionSchema.safeParse(input, { reportInput: true })
  const claimedId = taskIdOf(input)
  if (!parsed.success) {
    return { ok: false, error: parsed.error.issues.map(describeIssue).join('; '), task_id: claimedId }
  }
  const r = parsed.data
  const ts = r.timestamp ?? now
  if (ts.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    return {
      ok: false,
      error: `timestamp must not be more than 5 minutes in the future, got ${ts.toISOString()}`,
      task_id: claimedId,
    }
  }
  const execution: Execution = {
    task_id: r.task_id ?? randomUUID(),
    timestamp: ts,
    task_type: r.task_type,
    task_description: r.task_description,
    repo: r.repo,
    file_count: r.file_count,
    estimated_tokens: r.estimated_tokens,
    model_tier: r.model_tier,
    pool_type: r.pool_type,
    swarm_topology: r.swarm_topology ?? null,
    routing_confidence: r.routing_confidence,
    complexity_score: r.complexity_score,
    success: r.success,
    duration_seconds: r.duration_seconds,
    quality_score: r.quality_score ?? null,
    cost_estimate: r.cost_estimate,
    actual_cost: r.actual_cost,
    error_type: r.error_type ?? null,
    error_message: r.error_message ?? null,
    user_accepted: r.user_accepted ?? null,
    user_rating: r.user_rating ?? null,
    peak_memory_mb: r.peak_memory_mb ?? null,
    cpu_time_seconds: r.cpu_time_seconds ?? null,
    solution_summary: r.solution_summary ?? null,
    embedding: r.embedding ?? null,
    metadata: r.metadata ?? null,
    uploaded_at: r.uploaded_at ?? null,
  }
  return { ok: true, execution }
}

/** Validate one record or throw a LearningError('invalid_input') with the field-naming message. */
export function parseExecution(input: unknown, now?: Date): Execution {
  const v = validateExecution(input, now)
  if (!v.ok) throw invalidInput(v.error)
  return v.execution
}

/**
 * The text the embedder sees for an execution (DESIGN.md "embedding text").
 * @example embeddingText(e) // "Task: refactor | Description: ... | Repository: api | ... | Success: true"
 */
export function embeddingText(
  e: Pick<
    Execution,
    'task_type' | 'task_description' | 'repo' | 'model_tier' | 'pool_type' | 'swarm_topology' | 'success'
  > & { solution_summary?: string | null },
): string {
  const parts = [
    `Task: ${e.task_type}`,
    `Description: ${e.task_description}`,
    `Repository: ${e.repo}`,
    `Model Tier: ${e.model_tier}`,
    `Pool: ${e.pool_type}`,
  ]
  if (e.swarm_topology) parts.push(`Topology: ${e.swarm_topology}`)
  parts.push(`Success: ${e.success}`)
  if (e.solution_summary) parts.push(`Solution: ${e.solution_summary}`)
  return parts.join(' | ')
}

const RANGES: Partial<Record<string, readonly [number, number]>> = {
  routing_confidence: [0, 1],
  complexity_score: [0, 100],
  quality_score: [0, 100],
  user_rating: [1, 5],
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'record'
  const got = showValue(issue.input)
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `${field} is required`
      if (issue.expected === 'number' && typeof issue.input === 'number')
        return `${field} must be a finite number, got ${got}`
      return `${field} must be ${article(issue.expected)}, got ${got}`
    case 'invalid_union':
      if (issue.input === undefined) return `${field} is required`
      return `${field} has the wrong type, got ${got}`
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'string') {
        const len = typeof issue.input === 'string' ? issue.input.length : '?'
        return issue.code === 'too_big'
          ? `${field} must be at most ${issue.maximum} characters, got ${len}`
          : `${field} must not be empty`
      }
      const range = RANGES[field]
      if (range) return `${field} must be between ${range[0]} and ${range[1]}, got ${got}`
      return issue.code === 'too_small'
        ? `${field} must be >= ${issue.minimum}, got ${got}`
        : `${field} must be <= ${issue.maximum}, got ${got}`
    }
    case 'invalid_format':
      return `${field} must be a valid ${issue.format === 'uuid' ? 'UUID' : issue.format}, got ${got}`
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (extra data belongs in metadata)`
    case 'not_multiple_of':
      return `${field} must be an integer, got ${got}`
    default:
      return `${field} ${issue.message}${issue.input !== undefined && !issue.message.includes('got') ? `, got ${got}` : ''}`
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer'
  if (expected === 'record') return 'a JSON object'
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
}

function showValue(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 60 ? `a string of ${value.length} characters` : JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value)
  if (value === undefined) return 'nothing'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (value instanceof Date) return value.toISOString()
  return typeof value
}

function taskIdOf(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined
  const id = (input as { task_id?: unknown }).task_id
  return typeof id === 'string' ? id : undefined
}

/** Parse an ISO 8601 date-time; one without an offset is taken as UTC. */
export function parseTimestamp(value: string): Date | undefined {
  const s = value.trim()
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(s))
    return undefined
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) && s.length > 10
  const normalised = s.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1')
  const d = new Date(hasZone ? normalised : `${normalised}${normalised.length > 10 ? 'Z' : 'T00:00:00Z'}`)
  return Number.isNaN(d.getTime()) ? undefined : d
}
