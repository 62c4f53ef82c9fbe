import { existsSync } from 'node:fs'
import { queryRows } from '../db/query-rows.js'
import { indexPaths } from '../search/index-files.js'
import type { Store } from '../store.js'
import { registerBackupSidecar } from './backup-sidecars.js'
import { registerDeletionHook } from './deletion-hooks.js'
import { registerMaintenanceHook } from './maintenance-hooks.js'

let registered = false

/**
 * Connect the data derived from `executions` to the ops jobs, once per process (`openStore` calls it):
 * retention removes deleted rows from the vector index and refreshes the rollups, backups carry the index
 * files, and the scheduler keeps the rollups fresh. The search and analytics modules are loaded only when a
 * hook runs, so opening a store stays cheap and no import cycle forms.
 */
export function registerDerivedDataHooks(): void {
  if (registered) return
  registered = true
  registerDeletionHook('vector-index', async (store, { task_ids }) => {
    const { removeFromIndex } = await import('../search/index-registry.js')
    await removeFromIndex(store, task_ids)
  })
  registerDeletionHook('rollups', async (store) => {
    // Rollups never built (no query yet) stay unbuilt: the first query builds them from what is left.
    if (!(await rollupsBuilt(store))) return
    const { refreshRollups } = await import('../analytics/rollup-refresh.js')
    await refreshRollups(store)
  })
  registerBackupSidecar('vector-index', (store) => {
    if (!store.config.vectorIndex || store.path === ':memory:') return []
    const paths = indexPaths(store.path)
    // Meta last: a restore that finds the meta finds the files it vouches for.
    return [paths.index, paths.keys, paths.meta].filter((p) => existsSync(p))
  })
  registerMaintenanceHook('rollups', async (store) => {
    const { ensureRollupsFresh } = await import('../analytics/rollup-refresh.js')
    await ensureRollupsFresh(store)
  })
}

async function rollupsBuilt(store: Store): Promise<boolean> {
  const [row] = await store.read((conn) =>
    queryRows<{ n: number }>(conn, 'SELECT count(*) AS n FROM (SELECT 1 FROM rollup_days LIMIT 1)'),
  )
  return (row?.n ?? 0) > 0
}
