import { resolve } from 'node:path'
import type { Execution } from '../record.js'
import type { Store } from '../store.js'
import { IndexFeeder } from './index-feeder.js'
import { checkIndexFiles } from './index-files.js'
import { type ReconcileReport, reconcileIndex } from './index-reconcile.js'
import { VectorIndex } from './vector-index.js'

/** Unsaved changes are written at most this often while the store is open (and always at close). */
export const INDEX_SAVE_INTERVAL_MS = 30_000

interface OpenIndex {
  index: VectorIndex
  /** Commits not yet added to `index`. */
  feeder: IndexFeeder
  report: ReconcileReport
  /** Stop following commits and saving (the index was replaced). */
  retire(): void
}

const open = new Map<string, Promise<OpenIndex>>()

/** Whether a store keeps a vector index at all (not for `:memory:` or when turned off). */
export function usesVectorIndex(store: Store): boolean {
  return store.config.vectorIndex && store.path !== ':memory:'
}

/**
 * The store's vector index, opened on first use: loaded from `<db>.usearch` when its checks pass
 * (else rebuilt with a warning), reconciled with the table, then kept current from every commit and
 * saved (temp + rename) every 30 s when changed and when the store closes. `undefined` when unused.
 */
export async function getVectorIndex(
  store: Store,
  onProgress?: (done: number, total: number) => void,
): Promise<VectorIndex | undefined> {
  if (!usesVectorIndex(store)) return undefined
  const key = resolve(store.path)
  let opening = open.get(key)
  if (!opening) {
    opening = openIndex(store, key, onProgress)
    open.set(key, opening)
    opening.catch(() => open.delete(key))
  }
  const opened = await opening
  opened.feeder.flush()
  return opened.index
}

/** Remove executions from the store's index (retention deletes); a no-op when no index is open. */
export async function removeFromIndex(store: Store, taskIds: readonly string[]): Promise<number> {
  if (!usesVectorIndex(store)) return 0
  const opening = open.get(resolve(store.path))
  if (!opening) return 0 // reconcile at the next open removes them
  const opened = await opening
  opened.feeder.flush()
  return opened.index.remove(taskIds)
}

/** Drop the store's index, its files and its registry entry, and build it again from the table. */
export async function rebuildVectorIndex(
  store: Store,
  onProgress?: (done: number, total: number) => void,
): Promise<ReconcileReport | undefined> {
  if (!usesVectorIndex(store)) return undefined
  const key = resolve(store.path)
  const previous = open.get(key)
  open.delete(key)
  ;(await previous?.catch(() => undefined))?.retire()
  const opening = openIndex(store, key, onProgress, true)
  open.set(key, opening)
  opening.catch(() => open.delete(key))
  const built = await opening
  if (!store.config.readOnly) built.index.save(store.path, store.embedder.id)
  return built.report
}

async function openIndex(
  store: Store,
  key: string,
  onProgress: ((done: number, total: number) => void) | undefined,
  fresh = false,
): Promise<OpenIndex> {
  const config = store.config
  const index = new VectorIndex({
    quantization: config.indexQuantization,
    connectivity: config.indexConnectivity,
    expansionAdd: config.indexExpansionAdd,
    expansionSearch: config.indexExpansionSearch,
  })
  let savedKeys: BigUint64Array | undefined
  const files = fresh ? { ok: false as const, reason: undefined } : checkIndexFiles(store.path)
  if (files.ok) {
    const m = files.meta
    if (
      m.embedder_id === store.embedder.id &&
      m.quantization === config.indexQuantization &&
      m.connectivity === config.indexConnectivity
    ) {
      try {
        index.loadFile(files.indexPath, files.keys)
        savedKeys = files.keys
      } catch (error) {
        process.emitWarning(
          `orb-learning: vector index ${files.indexPath} could not be loaded (${String(error)}); rebuilding it from the table`,
        )
        return openIndex(store, key, onProgress, true)
      }
    }
  } else if (files.reason !== undefined) {
    process.emitWarning(
      `orb-learning: vector index of ${store.path} is damaged (${files.reason}); rebuilding it from the table`,
    )
  }
  const report = await store.read((conn) => reconcileIndex(conn, index, savedKeys, onProgress))
  let timer: NodeJS.Timeout | undefined
  let active = true
  const save = () => {
    timer = undefined
    if (active && !config.readOnly && index.unsavedChanges > 0) index.save(store.path, store.embedder.id)
  }
  const feeder = new IndexFeeder(index)
  store.onCommit((written: readonly Execution[]) => {
    if (!active) return
    feeder.push(written)
    timer ??= setTimeout(save, INDEX_SAVE_INTERVAL_MS).unref()
  })
  store.onClose(() => {
    if (timer) clearTimeout(timer)
    if (active) feeder.flush()
    save()
    if (active) open.delete(key)
    active = false
  })
  if (report.added > 0 || report.removed > 0 || !files.ok) save()
  return {
    index,
    feeder,
    report,
    retire: () => {
      active = false
    },
  }
}
