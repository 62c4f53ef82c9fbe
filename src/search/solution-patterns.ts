import { z } from 'zod'
import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import { MAX_NAME_LENGTH } from '../record.js'
import type { Store } from '../store.js'

/** Input of `getSolutionPatterns` (the review's `get_solution_patterns`). */
export const SolutionPatternsQuerySchema = z.strictObject({
  repo: z.string().min(1).max(MAX_NAME_LENGTH).optional().describe('Only this repository'),
  minUsage: z.number().int().min(1).max(1_000_000).default(5).describe('Fewest uses of a solution'),
  days: z.number().positive().max(36_500).default(90).describe('Only executions of the last N days'),
  limit: z.number().int().min(1).max(1_000).default(10).describe('Most patterns returned'),
})

/** What a caller passes to `getSolutionPatterns`. */
export type SolutionPatternsQuery = z.input<typeof SolutionPatternsQuerySchema>

/** One solution summary used repeatedly in a repository, with how well it worked. */
export interface SolutionPattern {
  solution_summary: string
  repo: string
  task_types: string[]
  usage_count: number
  success_count: number
  avg_quality: number | null
  first_seen: Date
  last_seen: Date
  success_rate: number
}

/** The sums per (summary, repo, task type) that both the SQL and the JS combination of patterns start from. */
const PART_SUMS = `count(*) AS n, count(*) FILTER (WHERE success) AS ok, sum(quality_score) AS quality_sum,
  count(quality_score) AS quality_n, min(timestamp) AS first_seen, max(timestamp) AS last_seen`

/**
 * The review's solution_patterns aggregation over the executions that pass `where` (SQL over `executions`
 * with bound parameters only), used at least `minUsage` times per repository, best first, `limit` rows.
 * Rows are grouped per task type first: the task-type list then comes from a few rows per pattern instead of
 * a DISTINCT, ordered aggregate over every execution (93 -> 69 ms for 90 days of a 1M-row demo database).
 */
export function solutionPatternsSql(where: string, minUsage: string, limit: string): string {
  return `WITH per_type AS (
      SELECT solution_summary, repo, task_type, ${PART_SUMS}
      FROM executions WHERE solution_summary IS NOT NULL AND ${where}
      GROUP BY solution_summary, repo, task_type)
    SELECT solution_summary, repo, list(task_type ORDER BY task_type) AS task_types,
           sum(n)::BIGINT AS usage_count, sum(ok)::BIGINT AS success_count,
           (sum(quality_sum) / nullif(sum(quality_n), 0))::DOUBLE AS avg_quality,
           min(first_seen) AS first_seen, max(last_seen) AS last_seen, (sum(ok) / sum(n))::DOUBLE AS success_rate
    FROM per_type GROUP BY solution_summary, repo HAVING sum(n) >= ${minUsage}
    ORDER BY success_rate DESC, avg_quality DESC NULLS LAST, usage_count DESC, solution_summary, repo
    LIMIT ${limit}`
}

/** Per day, summary, repo and task type: what `SolutionPatternSums` combines (a day-cacheable step). */
export function solutionPartsByDaySql(where: string): string {
  return `SELECT timestamp::DATE AS day, solution_summary, repo, task_type, ${PART_SUMS}
    FROM executions WHERE solution_summary IS NOT NULL AND ${where}
    GROUP BY timestamp::DATE, solution_summary, repo, task_type`
}

/** DuckDB's VARCHAR order (UTF-8 bytes), which JS's UTF-16 comparison differs from above U+FFFF. */
function byBytes(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b))
}

/** SQL's `ORDER BY x DESC NULLS LAST` as a comparator. */
function descendingNullsLast(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1
  return b - a
}

interface PatternSum {
  solution_summary: string
  repo: string
  types: Set<string>
  n: number
  ok: number
  qualitySum: number
  qualityN: number
  first: string
  last: string
}

/**
 * Sums per (summary, repo) of `solutionPartsByDaySql` rows (JSON rows: numbers and ISO timestamps); `rows`
 * gives what `solutionPatternsSql` gives: the same sums, ratios, order and limit. Nested maps (summary, then
 * repo) instead of a joined key string: a third of the time at 22,750 parts.
 */
export class SolutionPatternSums {
  readonly #bySummary = new Map<string, Map<string, PatternSum>>()
  readonly #patterns: PatternSum[] = []

  /** A copy to add more parts to, leaving this one as it is. */
  clone(): SolutionPatternSums {
    const copy = new SolutionPatternSums()
    for (const p of this.#patterns)
      copy.#sumFor(p.solution_summary, p.repo, { ...p, types: new Set(p.types) })
    return copy
  }

  add(parts: readonly Record<string, unknown>[]): this {
    for (const part of parts) {
      const p = this.#sumFor(part.solution_summary as string, part.repo as string)
      p.types.add(part.task_type as string)
      p.n += part.n as number
      p.ok += part.ok as number
      p.qualitySum += (part.quality_sum as number | null) ?? 0
      p.qualityN += part.quality_n as number
      const first = part.first_seen as string
      const last = part.last_seen as string
      if (p.first === '' || first < p.first) p.first = first
      if (last > p.last) p.last = last
    }
    return this
  }

  /** Patterns used at least `minUsage` times, best first, at most `limit`. */
  rows(minUsage: number, limit: number): Record<string, unknown>[] {
    const rows = this.#patterns
      .filter((p) => p.n >= minUsage)
      .map((p) => ({
        solution_summary: p.solution_summary,
        repo: p.repo,
        task_types: [...p.types].sort(byBytes),
        usage_count: p.n,
        success_count: p.ok,
        avg_quality: p.qualityN > 0 ? p.qualitySum / p.qualityN : null,
        first_seen: p.first,
        last_seen: p.last,
        success_rate: p.ok / p.n,
      }))
    rows.sort(
      (a, b) =>
        b.success_rate - a.success_rate ||
        descendingNullsLast(a.avg_quality, b.avg_quality) ||
        b.usage_count - a.usage_count ||
        byBytes(a.solution_summary, b.solution_summary) ||
        byBytes(a.repo, b.repo),
    )
    return rows.slice(0, limit)
  }

  #sumFor(summary: string, repo: string, start?: PatternSum): PatternSum {
    let byRepo = this.#bySummary.get(summary)
    if (!byRepo) {
      byRepo = new Map()
      this.#bySummary.set(summary, byRepo)
    }
    let p = byRepo.get(repo)
    if (!p) {
      p = start ?? {
        solution_summary: summary,
        repo,
        types: new Set(),
        n: 0,
        ok: 0,
        qualitySum: 0,
        qualityN: 0,
        first: '',
        last: '',
      }
      byRepo.set(repo, p)
      this.#patterns.push(p)
    }
    return p
  }
}

/**
 * Solutions used at least `minUsage` times per repository in the window, best success rate first
 * (then quality): the review's solution_patterns view, computed on demand.
 * @example
 * await getSolutionPatterns(store, { repo: 'orb/api', minUsage: 3 })
 */
export async function getSolutionPatterns(
  store: Store,
  input: SolutionPatternsQuery = {},
): Promise<SolutionPattern[]> {
  const parsed = SolutionPatternsQuerySchema.safeParse(input)
  if (!parsed.success)
    throw invalidInput(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'query'} ${i.message}`).join('; '),
    )
  const q = parsed.data
  const params: Record<string, string | number | bigint> = {
    micros: BigInt(Math.round(q.days * 86_400_000_000)),
    min: q.minUsage,
    limit: q.limit,
  }
  if (q.repo !== undefined) params.repo = q.repo
  const repoFilter = q.repo !== undefined ? 'AND repo = $repo' : ''
  const rows = await store.read((conn) =>
    queryRows<SolutionPattern>(
      conn,
      solutionPatternsSql(
        `trim(solution_summary) <> '' AND timestamp >= now()::TIMESTAMP - to_microseconds($micros::BIGINT) ${repoFilter}`,
        '$min',
        '$limit',
      ),
      params,
    ),
  )
  return rows.map((r) => ({
    ...r,
    task_types: [...r.task_types],
    avg_quality: r.avg_quality === null ? null : Number(r.avg_quality),
    success_rate: Number(r.success_rate),
  }))
}
