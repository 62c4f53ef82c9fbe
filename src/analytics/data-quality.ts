import { queryRows } from '../db/query-rows.js'
import type { Store } from '../store.js'

/** One data-quality check: how many rows it flags and how much that matters. */
export interface QualityCheck {
  name: string
  severity: 'critical' | 'warning' | 'info'
  description: string
  affected: number
  /** Per-column counts where the check covers several columns. */
  details?: Record<string, number>
}

/** The outcome of `dataQualityReport`: every check, embedding coverage and the overall score. */
export interface DataQualityReport {
  generated_at: string
  rows: number
  feedback_rows: number
  checks: QualityCheck[]
  /** Share of executions that have an embedding, in [0, 1] (1 for an empty table). */
  embedding_coverage: number
  /** 0-100, see `formula`. */
  score: number
  formula: string
}

/** The documented score formula (docs/analytics.md). */
export const QUALITY_FORMULA =
  'score = clamp(100 - 60*c - 15*o - 15*(1 - e) - 10*w, 0, 100), c = share of executions with a critical issue, ' +
  'o = share of feedback rows without their execution, e = embedding coverage, w = share of executions with a warning'

const CRITICAL_NOT_NULL = [
  'task_id',
  'timestamp',
  'task_type',
  'task_description',
  'repo',
  'model_tier',
  'pool_type',
  'success',
  'duration_seconds',
  'routing_confidence',
  'complexity_score',
  'cost_estimate',
  'actual_cost',
] as const

const RANGE_RULES = {
  routing_confidence: 'routing_confidence NOT BETWEEN 0 AND 1',
  complexity_score: 'complexity_score NOT BETWEEN 0 AND 100',
  quality_score: 'quality_score NOT BETWEEN 0 AND 100',
  user_rating: 'user_rating NOT BETWEEN 1 AND 5',
  duration_seconds: 'NOT (duration_seconds >= 0 AND isfinite(duration_seconds))',
  cost_estimate: 'NOT (cost_estimate >= 0 AND isfinite(cost_estimate))',
  actual_cost: 'NOT (actual_cost >= 0 AND isfinite(actual_cost))',
  peak_memory_mb: 'NOT (peak_memory_mb >= 0 AND isfinite(peak_memory_mb))',
  cpu_time_seconds: 'NOT (cpu_time_seconds >= 0 AND isfinite(cpu_time_seconds))',
  file_count: 'file_count < 0',
  estimated_tokens: 'estimated_tokens < 0',
} as const

const NULL_ANY = CRITICAL_NOT_NULL.map((c) => `${c} IS NULL`).join(' OR ')
const RANGE_ANY = Object.values(RANGE_RULES)
  .map((r) => `coalesce(${r}, false)`)
  .join(' OR ')
const FUTURE = `timestamp > now()::TIMESTAMP + INTERVAL 5 MINUTE`
const WARNING = 'success AND error_type IS NOT NULL'

/**
 * Check the stored data: NULLs in critical fields, duplicate task_ids, future timestamps, out-of-range values
 * (legacy imports), orphan feedback, embedding coverage; and one overall score with its formula.
 * @example
 * const { score, checks } = await dataQualityReport(store)
 */
export async function dataQualityReport(store: Store): Promise<DataQualityReport> {
  return store.read(async (conn) => {
    const nullCols = CRITICAL_NOT_NULL.map((c) => `count(*) FILTER (WHERE ${c} IS NULL) AS "null_${c}"`).join(
      ', ',
    )
    const rangeCols = Object.entries(RANGE_RULES)
      .map(([c, r]) => `count(*) FILTER (WHERE coalesce(${r}, false)) AS "range_${c}"`)
      .join(', ')
    const [e] = await queryRows<Record<string, number>>(
      conn,
      `SELECT count(*) AS rows, count(DISTINCT task_id) AS distinct_ids, ${nullCols}, ${rangeCols},
         count(*) FILTER (WHERE ${NULL_ANY}) AS null_rows, count(*) FILTER (WHERE ${RANGE_ANY}) AS range_rows,
         count(*) FILTER (WHERE ${FUTURE}) AS future_rows,
         count(*) FILTER (WHERE (${NULL_ANY}) OR (${RANGE_ANY}) OR coalesce(${FUTURE}, false)) AS critical_rows,
         count(*) FILTER (WHERE ${WARNING}) AS warning_rows,
         count(*) FILTER (WHERE NOT success AND error_type IS NULL) AS failed_without_type,
         count(embedding) AS embedded
       FROM executions`,
    )
    const [f] = await queryRows<{ rows: number; orphans: number }>(
      conn,
      `SELECT count(*) AS rows, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM executions x WHERE x.task_id = f.task_id)) AS orphans
       FROM feedback f`,
    )
    const rows = e?.rows ?? 0
    const feedbackRows = f?.rows ?? 0
    const duplicates = rows - (e?.distinct_ids ?? 0)
    const pick = (prefix: string, cols: readonly string[]) =>
      Object.fromEntries(
        cols.map((c) => [c, e?.[`${prefix}_${c}`] ?? 0]).filter(([, n]) => (n as number) > 0),
      )
    const checks: QualityCheck[] = [
      {
        name: 'null_critical_fields',
        severity: 'critical',
        description: 'Rows with NULL in a field every execution must have',
        affected: e?.null_rows ?? 0,
        details: pick('null', CRITICAL_NOT_NULL),
      },
      {
        name: 'duplicate_task_ids',
        severity: 'critical',
        description: 'Rows beyond the first with the same task_id',
        affected: duplicates,
      },
      {
        name: 'future_timestamps',
        severity: 'critical',
        description: 'Rows dated more than 5 minutes in the future',
        affected: e?.future_rows ?? 0,
      },
      {
        name: 'out_of_range_values',
        severity: 'critical',
        description: 'Rows with a value outside its documented range (e.g. from a legacy import)',
        affected: e?.range_rows ?? 0,
        details: pick('range', Object.keys(RANGE_RULES)),
      },
      {
        name: 'orphan_feedback',
        severity: 'critical',
        description: 'Feedback rows whose execution does not exist',
        affected: f?.orphans ?? 0,
      },
      {
        name: 'succeeded_with_error_type',
        severity: 'warning',
        description: 'Successful executions that carry an error_type',
        affected: e?.warning_rows ?? 0,
      },
      {
        name: 'failed_without_error_type',
        severity: 'info',
        description: 'Failed executions without an error_type (top_errors cannot count them)',
        affected: e?.failed_without_type ?? 0,
      },
      {
        name: 'missing_embeddings',
        severity: 'warning',
        description: 'Executions without an embedding (invisible to similarity search)',
        affected: rows - (e?.embedded ?? 0),
      },
    ]
    const c = rows === 0 ? 0 : ((e?.critical_rows ?? 0) + duplicates) / rows
    const o = feedbackRows === 0 ? 0 : (f?.orphans ?? 0) / feedbackRows
    const coverage = rows === 0 ? 1 : (e?.embedded ?? 0) / rows
    const w = rows === 0 ? 0 : (e?.warning_rows ?? 0) / rows
    const score = Math.min(
      100,
      Math.max(0, 100 - 60 * Math.min(c, 1) - 15 * o - 15 * (1 - coverage) - 10 * w),
    )
    return {
      generated_at: new Date().toISOString(),
      rows,
      feedback_rows: feedbackRows,
      checks,
      embedding_coverage: coverage,
      score: Math.round(score * 10) / 10,
      formula: QUALITY_FORMULA,
    }
  })
}
