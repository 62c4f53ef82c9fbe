import { z } from 'zod'
import { invalidInput } from '../errors.js'
import { MAX_NAME_LENGTH } from '../record.js'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'

/** Longest accepted query text, in characters. */
export const MAX_QUERY_LENGTH = 10_000
/** Largest accepted `limit` of a similarity query. */
export const MAX_SIMILAR_LIMIT = 1_000

const name = z
  .string()
  .max(MAX_NAME_LENGTH)
  .refine((s) => s.trim().length > 0, 'must not be empty')

/** Input of `findSimilar`: a text or an embedding, and optional filters. Shared by the CLI, HTTP and MCP faces. */
export const SimilarQuerySchema = z.strictObject({
  text: z
    .string()
    .max(MAX_QUERY_LENGTH)
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .optional()
    .describe('Task description to search for'),
  embedding: z
    .array(z.union([z.number(), z.nan()]))
    .length(EMBEDDING_DIMENSIONS)
    .refine((v) => v.every(Number.isFinite), 'must contain only finite numbers')
    .optional()
    .describe('A 384-dimensional query vector instead of text'),
  limit: z.number().int().min(1).max(MAX_SIMILAR_LIMIT).default(10).describe('Most rows returned'),
  minSimilarity: z.number().min(-1).max(1).default(0.7).describe('Lowest cosine similarity returned'),
  repo: name.optional().describe('Only executions of this repository'),
  taskType: name.optional().describe('Only executions of this task type'),
  successOnly: z.boolean().default(false).describe('Only successful executions'),
  days: z.number().positive().max(36_500).default(90).describe('Only executions of the last N days'),
})

/** What a caller passes to `findSimilar`. */
export type SimilarQuery = z.input<typeof SimilarQuerySchema>
/** A validated similarity query with its defaults. */
export type ParsedSimilarQuery = z.output<typeof SimilarQuerySchema>

/** Validate a similarity query or throw `invalid_input` naming the field, the rule and the value. */
export function parseSimilarQuery(input: unknown): ParsedSimilarQuery {
  const parsed = SimilarQuerySchema.safeParse(input, { reportInput: true })
  if (!parsed.success) throw invalidInput(parsed.error.issues.map(describe).join('; '))
  const q = parsed.data
  if ((q.text === undefined) === (q.embedding === undefined))
    throw invalidInput('give exactly one of text or embedding')
  return q
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : 'query'
  if (issue.code === 'unrecognized_keys')
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`
  const input = issue.input
  const got =
    typeof input === 'string'
      ? input.length > 60
        ? `a string of ${input.length} characters`
        : JSON.stringify(input)
      : Array.isArray(input)
        ? `an array of ${input.length}`
        : String(input)
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const bound = issue.code === 'too_big' ? `at most ${issue.maximum}` : `at least ${issue.minimum}`
    const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' numbers' : ''
    return `${field} must be ${bound}${unit}, got ${got}`
  }
  return `${field} ${issue.message.toLowerCase()}, got ${got}`
}
