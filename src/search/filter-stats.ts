import { queryRows } from '../db/query-rows.js'
import type { Store } from '../store.js'

/** Joint row counts by repo, task type, success and age in days (capped), for planning filtered searches. */
export interface FilterStats {
  total: number
  groups: { repo: string; task_type: string; success: boolean; age: number; n: number }[]
  takenAt: number
}

const TTL_MS = 60_000
const MAX_AGE_DAYS = 3_650
const cache = new Map<string, Promise<FilterStats>>()
const refreshing = new Set<string>()

/** The store's filter statistics; a stale copy is served while a fresh one is computed in the background. */
export async function getFilterStats(store: Store): Promise<FilterStats> {
  const key = store.path
  const cached = cache.get(key)
  if (!cached) {
    const loading = loadStats(store)
    cache.set(key, loading)
    loading.catch(() => cache.delete(key))
    return loading
  }
  const stats = await cached
  if (Date.now() - stats.takenAt > TTL_MS && !refreshing.has(key)) {
    refreshing.add(key)
    loadStats(store)
      .then((fresh) => cache.set(key, Promise.resolve(fresh)))
      .catch(() => undefined)
      .finally(() => refreshing.delete(key))
  }
  return stats
}

/** Forget cached statistics (after bulk deletes, in tests). */
export function forgetFilterStats(store: Store): void {
  cache.delete(store.path)
}

/** Rows that match the filters, counted from the statistics. */
export function countMatching(
  stats: FilterStats,
  filter: { repo?: string | undefined; taskType?: string | undefined; successOnly: boolean; days: number },
): number {
  let n = 0
  for (const g of stats.groups) {
    if (filter.repo !== undefined && g.repo !== filter.repo) continue
    if (filter.taskType !== undefined && g.task_type !== filter.taskType) continue
    if (filter.successOnly && !g.success) continue
    // Day buckets are whole days: a bucket counts when it can overlap the window.
    if (g.age > Math.ceil(filter.days)) continue
    n += g.n
  }
  return n
}

async function loadStats(store: Store): Promise<FilterStats> {
  const groups = await store.read((conn) =>
    queryRows<FilterStats['groups'][number]>(
      conn,
      `SELECT repo, task_type, success,
              least(date_diff('day', timestamp, now()::TIMESTAMP), ${MAX_AGE_DAYS}) AS age, count(*) AS n
       FROM executions WHERE embedding IS NOT NULL GROUP BY ALL`,
    ),
  )
  return { total: groups.reduce((s, g) => s + g.n, 0), groups, takenAt: Date.now() }
}
