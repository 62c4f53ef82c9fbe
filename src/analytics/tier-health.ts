import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'

/** Success rate and p95 duration of one model tier over a recent window (the Prometheus tier gauges). */
export interface TierHealth {
  model_tier: string
  executions: number
  /** Fraction of successful executions, 0..1. */
  success_rate: number
  p95_duration_seconds: number
}

/** Per-tier success rate and p95 duration over the last `hours` hours (default 24); cheap enough to run on every scrape. */
export async function getTierHealth(store: Store, options: { hours?: number } = {}): Promise<TierHealth[]> {
  const hours = options.hours ?? 24
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 90) {
    throw invalidInput(`hours must be an integer between 1 and 2160, got ${hours}`)
  }
  return store.read((conn) =>
    queryRows<TierHealth>(
      conn,
      `SELECT model_tier, count(*) AS executions,
              avg(CASE WHEN success THEN 1.0 ELSE 0.0 END) AS success_rate,
              quantile_cont(duration_seconds, 0.95) AS p95_duration_seconds
         FROM executions
        WHERE timestamp >= now()::TIMESTAMP - to_hours($hours::BIGINT)
        GROUP BY model_tier ORDER BY model_tier`,
      { hours },
    ),
  )
}
