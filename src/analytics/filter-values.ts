import { queryRows } from '../db/query-rows.js'
import type { Store } from '../store.js'
import { ensureRollupsFresh } from './rollup-refresh.js'

/** The values each filter can take (for pickers): distinct repos, tiers, pools and task types, most used first. */
export interface FilterValues {
  repo: string[]
  model_tier: string[]
  pool_type: string[]
  task_type: string[]
}

/** Most values listed per filter. */
export const MAX_FILTER_VALUES = 200

/**
 * Distinct values of the four filter columns over the whole table, most used first (at most 200 each).
 * Read from the daily rollup when it can be used (every value of the four columns is one of its dimensions,
 * with its execution count): a few thousand rows instead of a scan of the table.
 */
export async function listFilterValues(
  store: Store,
  options: { useRollups?: boolean } = {},
): Promise<FilterValues> {
  const source =
    options.useRollups !== false && (await ensureRollupsFresh(store))
      ? 'SELECT repo, model_tier, pool_type, task_type, executions AS n FROM rollup_daily'
      : 'SELECT repo, model_tier, pool_type, task_type, 1 AS n FROM executions'
  const rows = await store.read((conn) =>
    queryRows<{ col: keyof FilterValues; value: string }>(
      conn,
      `WITH counted AS (
         SELECT col, value, sum(n) AS n FROM (
           SELECT UNNEST([{'col': 'repo', 'value': repo}, {'col': 'model_tier', 'value': model_tier},
                          {'col': 'pool_type', 'value': pool_type}, {'col': 'task_type', 'value': task_type}], recursive := true), n
           FROM (${source}))
         GROUP BY col, value)
       SELECT col, value FROM counted
       QUALIFY row_number() OVER (PARTITION BY col ORDER BY n DESC, value) <= $max
       ORDER BY col, n DESC, value`,
      { max: MAX_FILTER_VALUES },
    ),
  )
  const out: FilterValues = { repo: [], model_tier: [], pool_type: [], task_type: [] }
  for (const r of rows) out[r.col].push(r.value)
  return out
}
