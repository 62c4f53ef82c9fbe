import type { Store } from '../store.js'

/**
 * Told after retention deleted executions, so that derived data follows: the vector index drops the entries,
 * the rollups are refreshed. Runs after the delete committed; a failure is reported in the retention result.
 */
export type DeletionHook = (
  store: Store,
  deleted: { task_ids: readonly string[]; cutoff: Date },
) => Promise<void>

const hooks = new Map<string, DeletionHook>()

/** Register (or replace) a named hook called after retention deletes rows, e.g. 'vector-index', 'rollups'. */
export function registerDeletionHook(name: string, hook: DeletionHook): () => void {
  hooks.set(name, hook)
  return () => {
    if (hooks.get(name) === hook) hooks.delete(name)
  }
}

/** Run every registered hook; returns the failures by hook name instead of throwing (the rows are gone already). */
export async function runDeletionHooks(
  store: Store,
  deleted: { task_ids: readonly string[]; cutoff: Date },
): Promise<string[]> {
  const failures: string[] = []
  for (const [name, hook] of hooks) {
    try {
      await hook(store, deleted)
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message}`)
    }
  }
  return failures
}
