import type { Store } from '../store.js'

/**
 * A version for each rollup day of a store, moved on after every commit that changed the day's rollup rows.
 * Only this process writes the database (it holds the file lock), so these versions see every change. A
 * reader that takes a day's version before its SQL may keep what it computed under that version: a change
 * committed meanwhile moves the version on, so the kept answer is never mistaken for the newer one.
 */
interface Versions {
  epoch: number
  days: Map<string, number>
}

const byStore = new WeakMap<Store, Versions>()

function versionsOf(store: Store): Versions {
  let v = byStore.get(store)
  if (!v) {
    v = { epoch: 0, days: new Map() }
    byStore.set(store, v)
  }
  return v
}

/** The current version of a day's rollup rows (`YYYY-MM-DD`). */
export function rollupDayVersion(store: Store, day: string): string {
  const v = versionsOf(store)
  return `${v.epoch}.${v.days.get(day) ?? 0}`
}

/** Record, after the commit, that these days' rollup rows changed ('all': the tables were rebuilt). */
export function rollupDaysChanged(store: Store, days: Iterable<string> | 'all'): void {
  const v = versionsOf(store)
  if (days === 'all') {
    v.epoch++
    v.days.clear()
    return
  }
  for (const day of days) v.days.set(day, (v.days.get(day) ?? 0) + 1)
}
