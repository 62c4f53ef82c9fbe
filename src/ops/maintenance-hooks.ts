import type { Store } from '../store.js'

/** Periodic work of other modules (rollup maintenance registers here), run by the scheduler of `serve`. */
export type MaintenanceHook = (store: Store) => Promise<void>

const hooks = new Map<string, MaintenanceHook>()

/** Register (or replace) a named job run every alert interval, e.g. 'rollups'. */
export function registerMaintenanceHook(name: string, fn: MaintenanceHook): () => void {
  hooks.set(name, fn)
  return () => {
    if (hooks.get(name) === fn) hooks.delete(name)
  }
}

/** Run every registered maintenance hook in turn; the first failure is thrown (the job is retried). */
export async function runMaintenanceHooks(store: Store): Promise<void> {
  for (const fn of hooks.values()) await fn(store)
}
