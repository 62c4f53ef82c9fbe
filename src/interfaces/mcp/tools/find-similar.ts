import { z } from 'zod'
import { EMBEDDING_DIMENSIONS } from '../../../record.js'
import { findSimilar } from '../../../search/find-similar.js'
import { SimilarQuerySchema } from '../../../search/similar-query.js'
import { defineTool } from '../tool.js'

const SimilarExecutionSchema = z.object({
  task_id: z.string(),
  timestamp: z.string(),
  task_type: z.string(),
  repo: z.string(),
  model_tier: z.string(),
  pool_type: z.string(),
  success: z.boolean(),
  duration_seconds: z.number(),
  quality_score: z.number().nullable(),
  task_description: z.string(),
  solution_summary: z.string().nullable(),
  similarity: z.number(),
})

/** `find_similar_executions`: past executions most like a task description (semantic search). */
export const findSimilarTool = defineTool({
  name: 'find_similar_executions',
  title: 'Find similar past executions',
  description:
    'Have we done something like this before, and what worked? Give the task description as text (or a ' +
    '384-dimension embedding); returns the most similar past executions with their outcome, tier, pool, ' +
    'duration, quality and solution summary, most similar first. Filter by repo, taskType, successOnly, days.',
  scope: 'read',
  // The shared schema, with the embedding as plain numbers so that it has a JSON Schema.
  input: SimilarQuerySchema.extend({
    embedding: z.array(z.number()).length(EMBEDDING_DIMENSIONS).optional(),
  }),
  output: z.object({ executions: z.array(SimilarExecutionSchema) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async (store, query) => ({ executions: await findSimilar(store, query) }),
})
