import { z } from 'zod'
import { getSolutionPatterns, SolutionPatternsQuerySchema } from '../../../search/solution-patterns.js'
import { SuggestSolutionsQuerySchema, suggestSolutions } from '../../../search/suggest-solutions.js'
import { defineTool } from '../tool.js'

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const

/** `get_solution_patterns`: solutions used repeatedly per repository, best success rate first. */
export const solutionPatternsTool = defineTool({
  name: 'get_solution_patterns',
  title: 'Solution patterns',
  description:
    'Which solutions keep being used, and do they work? Solution summaries used at least minUsage times ' +
    '(default 5) per repository over the last days (default 90), with task types, uses, successes, success ' +
    'rate (0-1), mean quality, first and last use; best success rate first. Filter by repo; limit (default 10).',
  scope: 'read',
  input: SolutionPatternsQuerySchema,
  output: z.object({
    patterns: z.array(
      z.object({
        solution_summary: z.string(),
        repo: z.string(),
        task_types: z.array(z.string()),
        usage_count: z.number(),
        success_count: z.number(),
        avg_quality: z.number().nullable(),
        first_seen: z.string(),
        last_seen: z.string(),
        success_rate: z.number(),
      }),
    ),
  }),
  annotations: READ_ONLY,
  run: async (store, query) => ({ patterns: await getSolutionPatterns(store, query) }),
})

/** `suggest_solutions`: solutions of the most similar past executions, near-duplicates merged. */
export const suggestSolutionsTool = defineTool({
  name: 'suggest_solutions',
  title: 'Suggest solutions',
  description:
    'Before starting a task, ask how similar tasks were solved: give its description as text; returns the ' +
    'solutions of the most similar past executions, near-duplicate wordings merged, each with its evidence ' +
    'count, successes, success rate (0-1), best similarity and the task ids behind it; best supported first.',
  scope: 'read',
  input: SuggestSolutionsQuerySchema,
  output: z.object({
    suggestions: z.array(
      z.object({
        solution_summary: z.string(),
        variants: z.array(z.string()),
        evidence_count: z.number(),
        success_count: z.number(),
        success_rate: z.number(),
        best_similarity: z.number(),
        task_ids: z.array(z.string()),
      }),
    ),
  }),
  annotations: READ_ONLY,
  run: async (store, query) => ({ suggestions: await suggestSolutions(store, query) }),
})
