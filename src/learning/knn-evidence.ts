/** One past execution near the task, as the neighbour search returns it. */
export interface Neighbour {
  similarity: number
  model_tier: string
  pool_type: string
  success: boolean
  actual_cost: number
  duration_seconds: number
  /** Milliseconds since epoch, or a Date. */
  timestamp: number | Date
  /** The neighbour's complexity_score, when known: neighbours of distant complexity count less. */
  complexity_score?: number | null
  /** Extra weight factor in (0, 1] for how many executions came after it (default 1). */
  recency?: number
  /** The pooled prediction for its option when its outcome arrived; neighbours without it add no description offset. */
  predicted?: number
}

/** Pseudo-counts the neighbours add to one option. */
export interface NeighbourEvidence {
  successes: number
  failures: number
  /** Neighbours of this tier (any pool). */
  count: number
  /** Total weight before the cap (0 when no neighbour of this tier counts). */
  weight: number
}

/** Width (complexity points) of the Gaussian kernel that down-weights neighbours of distant complexity. */
export const COMPLEXITY_KERNEL_WIDTH = 15

/**
 * Similarity-weighted, time-decayed pseudo-counts per option: w = sim² · 2^(-age/halfLife) · recency ·
 * complexity kernel, a neighbour on another pool of the same tier counts half; the total per option is scaled down
 * to at most `maxWeight`.
 */
export function neighbourEvidence(
  neighbours: readonly Neighbour[],
  tier: string,
  pool: string,
  options: {
    now: number
    halfLifeDays: number
    maxWeight: number
    minSimilarity: number
    /** The task's complexity_score; neighbours get weight exp(-(Δ/15)²/2) when both are known. */
    complexity?: number
  },
): NeighbourEvidence {
  let s = 0
  let w = 0
  let count = 0
  const halfLife = options.halfLifeDays * 86_400_000
  for (const n of neighbours) {
    if (n.model_tier !== tier || n.similarity < options.minSimilarity) continue
    count++
    const time = typeof n.timestamp === 'number' ? n.timestamp : n.timestamp.getTime()
    const decay = 2 ** (-Math.max(0, options.now - time) / halfLife)
    const gap =
      options.complexity === undefined || n.complexity_score == null
        ? 0
        : (options.complexity - n.complexity_score) / COMPLEXITY_KERNEL_WIDTH
    const weight =
      n.similarity *
      n.similarity *
      decay *
      (n.recency ?? 1) *
      Math.exp((-gap * gap) / 2) *
      (n.pool_type === pool ? 1 : 0.5)
    if (!(weight > 0) || !Number.isFinite(weight)) continue
    w += weight
    if (n.success) s += weight
  }
  if (w === 0) return { successes: 0, failures: 0, count, weight: 0 }
  const scale = Math.min(1, options.maxWeight / w)
  return { successes: s * scale, failures: (w - s) * scale, count, weight: w }
}
