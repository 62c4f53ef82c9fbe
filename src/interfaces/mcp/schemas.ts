import { z } from 'zod'
import { EMBEDDING_DIMENSIONS, ExecutionSchema } from '../../record.js'

const isoTimestamp = z.string().max(64).describe('ISO 8601 date-time; one without an offset is taken as UTC')

/**
 * The execution record as JSON: ExecutionSchema with timestamps as strings and the embedding as an array,
 * so that it has a JSON Schema. The record is validated again, fully, by `recordExecutions`.
 */
export const ExecutionJsonSchema = ExecutionSchema.extend({
  timestamp: isoTimestamp.optional().describe('When the task ran (default: now); at most 5 minutes ahead'),
  uploaded_at: isoTimestamp.optional(),
  embedding: z.array(z.number()).length(EMBEDDING_DIMENSIONS).nullish(),
})

/** Per-record outcome of a write, as `recordExecutions` returns it. */
export const RecordResultSchema = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), task_id: z.string().optional(), error: z.string() })),
  task_ids: z.array(z.string()),
})
