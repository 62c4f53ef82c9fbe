import { join } from 'node:path'
import { queryRows } from '../../src/db/query-rows.js'
import { openStore, type Store } from '../../src/store.js'
import { withTempDir } from './temp-store.js'

/** A store on `<tmp>/learning.duckdb` whose data directory (archives, backups) is the temporary directory. */
export function withOpsStore<T>(fn: (store: Store, dir: string) => Promise<T>): Promise<T> {
  return withTempDir(async (dir) => {
    const store = await openStore({ path: join(dir, 'learning.duckdb'), dataDir: dir })
    try {
      return await fn(store, dir)
    } finally {
      await store.close()
    }
  })
}

/** Count rows of a table through a reader. */
export async function countRows(
  store: Store,
  table: 'executions' | 'feedback' | 'maintenance_log',
): Promise<number> {
  const [row] = await store.read((c) => queryRows<{ n: number }>(c, `SELECT count(*) AS n FROM ${table}`))
  return row?.n ?? 0
}

/** Insert `n` executions spread over `days` days back from now, fast, in SQL (embedding left null). */
export async function insertSpread(store: Store, n: number, days: number): Promise<void> {
  await store.withWriter((c) =>
    c.run(
      `INSERT INTO executions (task_id, timestamp, task_type, task_description, repo, model_tier, pool_type,
         routing_confidence, complexity_score, success, duration_seconds, cost_estimate, actual_cost)
       SELECT uuid(), now()::TIMESTAMP - to_milliseconds(((i + 0.5) * $span / $n)::BIGINT), 'refactor', 'task ' || i, 'orb/api',
         'medium', 'mahavishnu', 0.5, 40, i % 5 <> 0, 10 + i % 50, 0.02, 0.025
       FROM range($n) r(i)`,
      { n, span: days * 86_400_000 },
    ),
  )
}
