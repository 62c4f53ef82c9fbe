import { copyFileSync, existsSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { Store } from '../store.js'
import type { BackupManifest } from './backup-manifest.js'
import { commitFile } from './durable-file.js'

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

/** Where a backup keeps the copy of a sidecar: `<backup>.<basename of the sidecar>`. */
export function sidecarCopyPath(backupFile: string, source: string): string {
  return `${backupFile}.${basename(source)}`
}

/**
 * The suffix a sidecar copy had beside the source database (`.usearch`, `.usearch.keys` ...), or undefined
 * when the manifest entry does not name a plain file beside the backup.
 */
export function sidecarSuffix(
  backupFile: string,
  manifest: BackupManifest,
  copy: string,
): string | undefined {
  const prefix = `${basename(backupFile)}.${manifest.source}`
  if (!copy.startsWith(prefix)) return undefined
  const suffix = copy.slice(prefix.length)
  return /^\.[A-Za-z0-9_.-]+$/.test(suffix) && !suffix.includes('..') ? suffix : undefined
}

/**
 * Put a backup's sidecars beside the restored database (`<path><suffix>`), replacing what is there; sidecars of
 * the live file that the backup lacks are removed (they describe other data; the index is rebuilt at open).
 */
export function restoreSidecars(backupFile: string, manifest: BackupManifest, path: string): string[] {
  const restored: string[] = []
  for (const entry of manifest.sidecars ?? []) {
    const suffix = sidecarSuffix(backupFile, manifest, entry.file)
    const copy = join(dirname(backupFile), entry.file)
    if (suffix === undefined || !existsSync(copy)) continue
    copyFileSync(copy, `${path}${suffix}.tmp`)
    commitFile(`${path}${suffix}.tmp`, `${path}${suffix}`)
    restored.push(`${path}${suffix}`)
  }
  return restored
}

/** Remove sidecar files of `path` that `keep` does not list (stale index files of the replaced database). */
export function removeStaleSidecars(
  path: string,
  suffixes: readonly string[],
  keep: readonly string[],
): void {
  for (const suffix of suffixes) {
    if (!keep.includes(`${path}${suffix}`)) rmSync(`${path}${suffix}`, { force: true })
  }
}
