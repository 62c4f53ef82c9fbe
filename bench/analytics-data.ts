// Data set-up for bench/analytics.ts: a 1M-row demo database written through the writer's own upsert path.
import { existsSync } from 'node:fs'
import { demoExecutions } from '../src/demo/generate-executions.js'
import { ExecutionWriter } from '../src/ingest/execution-writer.js'
import { type Execution, parseExecution } from '../src/record.js'
import type { Store } from '../src/store.js'

/**
 * Fill `store` with `rows` demo executions over 90 days ending `now`, without embeddings (analytics never
 * reads them; embedding 1M texts would only measure the embedder). Same records as `orb-learning demo`.
 */
export async function loadDemoRows(store: Store, rows: number, now: Date): Promise<number> {
  const started = performance.now()
  let batch: Execution[] = []
  let done = 0
  const flush = async () => {
    const records = batch
    batch = []
    await store.withWriter(async (conn) => {
      const writer = new ExecutionWriter(conn)
      try {
        await writer.write(records)
      } finally {
        writer.close()
      }
    })
    done += records.length
    if (done % 100_000 < records.length) process.stderr.write(`  loaded ${done} / ${rows} rows\n`)
  }
  for (const record of demoExecutions(rows, { seed: 1, now })) {
    batch.push(parseExecution(record, now))
    if (batch.length === 20_000) await flush()
  }
  if (batch.length > 0) await flush()
  return (performance.now() - started) / 1000
}

/** Whether a cached benchmark database exists. */
export function hasCachedDatabase(path: string): boolean {
  return existsSync(path)
}

/** p50 / p99 / mean of timings in ms. */
export function summarise(ms: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...ms].sort((a, b) => a - b)
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
  return { p50: at(0.5), p99: at(0.99), mean: ms.reduce((a, b) => a + b, 0) / ms.length }
}

/** Time `fn` `runs` times after `warmup` untimed runs. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup = 2): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn()
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    out.push(performance.now() - t)
  }
  return out
}

/** The original dashboard's 17 queries the way the review's bridge ran them: plain SQL on the raw table. */
export const REVIEW_DASHBOARD_SQL: Record<string, string> = {
  execution_count_24h: `SELECT COUNT(*) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 24 HOUR`,
  success_rate_24h: `SELECT SUM(CASE WHEN success THEN 1 ELSE 0 END) * 100.0 / COUNT(*) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 24 HOUR`,
  avg_quality_24h: `SELECT AVG(quality_score) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 24 HOUR AND quality_score IS NOT NULL`,
  total_cost_24h: `SELECT SUM(actual_cost) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 24 HOUR`,
  executions_over_time: `SELECT DATE_TRUNC('hour', timestamp) AS time, COUNT(*) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY GROUP BY 1 ORDER BY 1`,
  success_rate_over_time: `SELECT DATE_TRUNC('day', timestamp) AS time, SUM(CASE WHEN success THEN 1 ELSE 0 END) * 100.0 / COUNT(*) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY GROUP BY 1 ORDER BY 1`,
  success_by_model_tier: `SELECT model_tier AS metric, SUM(CASE WHEN success THEN 1 ELSE 0 END) * 100.0 / COUNT(*) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY GROUP BY 1 ORDER BY 2 DESC`,
  duration_by_model_tier: `SELECT model_tier AS metric, AVG(duration_seconds) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY GROUP BY 1 ORDER BY 2 DESC`,
  cost_by_model_tier: `SELECT model_tier AS metric, SUM(actual_cost) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY GROUP BY 1 ORDER BY 2 DESC`,
  pool_performance: `SELECT pool_type AS metric, COUNT(*) AS executions, SUM(CASE WHEN success THEN 1 ELSE 0 END) * 100.0 / COUNT(*) AS success_rate, AVG(duration_seconds) AS avg_duration, AVG(actual_cost) AS avg_cost FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY AND pool_type IS NOT NULL GROUP BY 1 ORDER BY 2 DESC`,
  top_repos: `SELECT repo AS metric, COUNT(*) AS executions, AVG(quality_score) AS avg_quality, AVG(duration_seconds) AS avg_duration, SUM(actual_cost) AS total_cost FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 30 DAY GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
  duration_percentiles: `SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY duration_seconds) AS p50, PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY duration_seconds) AS p95, PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY duration_seconds) AS p99 FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY`,
  quality_distribution: `SELECT CASE WHEN quality_score >= 90 THEN 'excellent' WHEN quality_score >= 75 THEN 'good' WHEN quality_score >= 60 THEN 'fair' ELSE 'poor' END AS metric, COUNT(*) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 30 DAY AND quality_score IS NOT NULL GROUP BY 1`,
  task_type_distribution: `SELECT task_type AS metric, COUNT(*) AS executions, AVG(duration_seconds) AS avg_duration, AVG(quality_score) AS avg_quality FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 30 DAY GROUP BY 1 ORDER BY 2 DESC LIMIT 15`,
  top_errors: `SELECT error_type AS metric, COUNT(*) AS value, MAX(timestamp) AS last_occurrence FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY AND error_type IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 10`,
  database_growth: `SELECT COUNT(*) AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 30 DAY`,
  avg_routing_confidence: `SELECT AVG(routing_confidence) * 100 AS value FROM executions WHERE timestamp >= now()::TIMESTAMP - INTERVAL 7 DAY AND routing_confidence IS NOT NULL`,
}

/** The review's views, read whole (what get_tier_performance / get_pool_performance did). */
export const REVIEW_VIEW_SQL: Record<string, string> = {
  tier_performance: 'SELECT * FROM tier_performance_mv',
  pool_performance_hourly: 'SELECT * FROM pool_performance_mv',
  solution_patterns: 'SELECT * FROM solution_patterns_mv',
}
