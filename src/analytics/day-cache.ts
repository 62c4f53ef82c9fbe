import type { Store } from '../store.js'
import { rollupDayVersion } from './rollup-versions.js'

type Row = Record<string, unknown>

interface DayEntry {
  version: string
  rows: readonly Row[]
}

/** Query-and-filter keys kept per store; the least recently used is dropped beyond this. */
const MAX_KEYS = 32
/** Days kept per key (a key's days are dropped together beyond this: days leave every window in time). */
const MAX_DAYS = 400
const byStore = new WeakMap<Store, Map<string, Map<string, DayEntry>>>()

/**
 * The answer of a day-separable query (a whole day's rows depend only on that day's rollup rows, and rows
 * are ordered by day, newest first) kept per whole day, reused while the day's rollup version stands.
 * A live dashboard then recomputes only today and the window's edges: `tier_performance` over 30 days
 * returns ~7,400 rows at 1M executions, of which a few hundred are new.
 */
export class DayCache {
  readonly #entries: Map<string, DayEntry>
  readonly #versions = new Map<string, string>()
  /** Whole days whose cached rows are still valid: the query's SQL skips them. */
  readonly reused = new Set<string>()

  /** Look up `wholeDays` of `key` (query name and filters) and note the versions the SQL will read. */
  constructor(store: Store, key: string, wholeDays: readonly string[]) {
    let caches = byStore.get(store)
    if (!caches) {
      caches = new Map()
      byStore.set(store, caches)
    }
    let entries = caches.get(key)
    if (entries) caches.delete(key)
    else entries = new Map()
    caches.set(key, entries) // most recently used last
    if (caches.size > MAX_KEYS) caches.delete(caches.keys().next().value as string)
    if (entries.size > MAX_DAYS) entries.clear()
    this.#entries = entries
    for (const day of wholeDays) {
      const version = rollupDayVersion(store, day)
      this.#versions.set(day, version)
      if (entries.get(day)?.version === version) this.reused.add(day)
    }
  }

  /**
   * The full answer: `computed` (the rows of the days not reused, ordered by day newest first) with the
   * reused days' rows put in order; the computed whole days are kept for next time, except days of more
   * than `maxRowsPerDay` rows (memory). Rows are copied in and out unless `shared` (a caller that only
   * reads them, and does not hand them on).
   */
  merge(
    computed: readonly Row[],
    dayColumn: string,
    { maxRowsPerDay = Number.POSITIVE_INFINITY, shared = false } = {},
  ): Row[] {
    const copy = (rows: readonly Row[]) => (shared ? (rows as Row[]) : rows.map((r) => ({ ...r })))
    const byDay = new Map<string, Row[]>()
    for (const row of computed) {
      const day = String(row[dayColumn]).slice(0, 10)
      const rows = byDay.get(day)
      if (rows) rows.push(row)
      else byDay.set(day, [row])
    }
    for (const [day, version] of this.#versions) {
      const rows = byDay.get(day) ?? []
      if (this.reused.has(day) || rows.length > maxRowsPerDay) continue
      this.#entries.set(day, { version, rows: copy(rows) })
    }
    for (const day of this.reused) byDay.set(day, copy(this.#entries.get(day)!.rows))
    const days = [...byDay.keys()].sort().reverse()
    return days.flatMap((day) => byDay.get(day)!)
  }
}
