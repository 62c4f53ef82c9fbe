import type { Store } from '../store.js'

/**
 * Files kept beside the database that a backup must carry (the search module's vector index registers here).
 * Each provider returns absolute paths that exist now; they are copied after the database snapshot.
 */
export type SidecarProvider = (store: Store) => string[]

const providers = new Map<string, SidecarProvider>()

/** Register (or replace) a named provider of sidecar files for backups, e.g. 'vector-index'. */
export function registerBackupSidecar(name: string, provider: SidecarProvider): () => void {
  providers.set(name, provider)
  return () => {
    if (providers.get(name) === provider) providers.delete(name)
  }
}

/** Every sidecar file of the registered providers. */
export function backupSidecars(store: Store): string[] {
  return [...providers.values()].flatMap((p) => p(store))
}
