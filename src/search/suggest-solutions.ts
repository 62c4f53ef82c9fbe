import { z } from 'zod'
import { invalidInput } from '../errors.js'
import { MAX_NAME_LENGTH } from '../record.js'
import type { Store } from '../store.js'
import { findSimilar, type SimilarExecution } from './find-similar.js'
import { MAX_QUERY_LENGTH } from './similar-query.js'

/** Input of `suggestSolutions`. */
export const SuggestSolutionsQuerySchema = z.strictObject({
  text: z
    .string()
    .max(MAX_QUERY_LENGTH)
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .describe('The task to find solutions for'),
  repo: z.string().min(1).max(MAX_NAME_LENGTH).optional().describe('Only this repository'),
  limit: z.number().int().min(1).max(100).default(5).describe('Most solution patterns returned'),
  minSimilarity: z.number().min(-1).max(1).default(0.3).describe('Lowest similarity of the evidence'),
  days: z.number().positive().max(36_500).default(365).describe('Only executions of the last N days'),
})

/** What a caller passes to `suggestSolutions`. */
export type SuggestSolutionsQuery = z.input<typeof SuggestSolutionsQuerySchema>

/** One suggested solution: near-duplicate summaries of similar past executions counted as one. */
export interface SolutionSuggestion {
  solution_summary: string
  /** Other wordings of the same solution. */
  variants: string[]
  evidence_count: number
  success_count: number
  success_rate: number
  best_similarity: number
  task_ids: string[]
}

/** Summaries this similar (cosine of their embeddings) count as one pattern. */
export const SAME_SOLUTION_SIMILARITY = 0.85
const EVIDENCE = 200

/**
 * Solutions of the past executions most similar to a task, clustered so that near-duplicate summaries
 * count as one pattern, each with its success rate and evidence; best supported successes first.
 * @example
 * await suggestSolutions(store, { text: 'parser test fails intermittently' })
 */
export async function suggestSolutions(
  store: Store,
  input: SuggestSolutionsQuery,
): Promise<SolutionSuggestion[]> {
  const parsed = SuggestSolutionsQuerySchema.safeParse(input)
  if (!parsed.success)
    throw invalidInput(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'query'} ${i.message}`).join('; '),
    )
  const q = parsed.data
  const similar = (
    await findSimilar(store, {
      text: q.text,
      limit: EVIDENCE,
      minSimilarity: q.minSimilarity,
      days: q.days,
      ...(q.repo === undefined ? {} : { repo: q.repo }),
    })
  ).filter((r) => r.solution_summary !== null && r.solution_summary.trim() !== '')
  const clusters = await clusterSolutions(store, similar)
  return clusters
    .map(summarise)
    .sort(
      (a, b) =>
        b.success_count * b.best_similarity - a.success_count * a.best_similarity ||
        b.evidence_count - a.evidence_count,
    )
    .slice(0, q.limit)
}

async function clusterSolutions(store: Store, rows: SimilarExecution[]): Promise<SimilarExecution[][]> {
  const distinct = [...new Set(rows.map((r) => normalise(r.solution_summary!)))]
  const vectors = await store.embedder.embed(distinct)
  const clusterOf = new Map<string, number>()
  const centroids: (Float32Array | null)[] = []
  distinct.forEach((text, i) => {
    const v = vectors[i] ?? null
    let best = -1
    let bestSim = SAME_SOLUTION_SIMILARITY
    centroids.forEach((c, j) => {
      if (!c || !v) return
      let s = 0
      for (let d = 0; d < v.length; d++) s += v[d]! * c[d]!
      if (s >= bestSim) {
        best = j
        bestSim = s
      }
    })
    if (best < 0) {
      best = centroids.length
      centroids.push(v)
    }
    clusterOf.set(text, best)
  })
  const clusters: SimilarExecution[][] = centroids.map(() => [])
  for (const r of rows) clusters[clusterOf.get(normalise(r.solution_summary!))!]!.push(r)
  return clusters.filter((c) => c.length > 0)
}

function summarise(rows: SimilarExecution[]): SolutionSuggestion {
  const counts = new Map<string, number>()
  for (const r of rows) counts.set(r.solution_summary!, (counts.get(r.solution_summary!) ?? 0) + 1)
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const successes = rows.filter((r) => r.success).length
  return {
    solution_summary: ranked[0]![0],
    variants: ranked.slice(1).map(([s]) => s),
    evidence_count: rows.length,
    success_count: successes,
    success_rate: successes / rows.length,
    best_similarity: Math.max(...rows.map((r) => r.similarity)),
    task_ids: rows.slice(0, 10).map((r) => r.task_id),
  }
}

function normalise(summary: string): string {
  return summary.trim().replace(/\s+/g, ' ')
}
