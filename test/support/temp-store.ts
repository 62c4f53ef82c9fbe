import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Options } from '../../src/config.js'
import { openStore, type Store } from '../../src/store.js'

/** A fresh temporary directory, removed after `fn`. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'orb-learning-test-'))
  try {
    return await fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A store on a fresh DuckDB file in a temporary directory, closed and removed after `fn`. */
export function withStore<T>(
  fn: (store: Store, dir: string) => Promise<T>,
  options: Partial<Options> = {},
): Promise<T> {
  return withTempDir(async (dir) => {
    const store = await openStore({ path: join(dir, 'learning.duckdb'), ...options })
    try {
      return await fn(store, dir)
    } finally {
      await store.close()
    }
  })
}
