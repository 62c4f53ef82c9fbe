import type { Store } from '../store.js'
import { rollupDayVersion } from './rollup-versions.js'

type Row = Record<string, unknown>

interface DayEntry {
  version: string
  rows: readonly Row[]
}

/** What is kept for one query and filter set: rows per whole day, and one value derived from reused days. */
interface KeyEntry {
  days: Map<string, DayEntry>
  derived?: { signature: string; value: unknown }
}

/** Query-and-filter keys kept per store; the least recently used is dropped beyond this. */
const MAX_KEYS = 32
/** Days kept per key (a key's days are dropped together beyond this: days leave every window in time). */
const MAX_DAYS = 400
const byStore = new WeakMap<Store, Map<string, KeyEntry>>()

/** The rows of a query's uncached days, and those of its reused days with a value derived from them. */
export interface DaySplit {
  /** Rows of the days the SQL read: the window's edges and the whole days not reused. */
  computed: readonly Row[]
  /** Rows of the reused whole days (shared with the cache: read, do not change). */
  reused: readonly Row[]
  /** `derive(reused)`, computed once for this set of reused days and versions. */
  derived<T>(derive: (reused: readonly Row[]) => T): T
}

/**
 * Answers of day-separable queries kept per whole day (a whole day's rows depend only on that day's data),
 * reused while the day's rollup version stands. A live dashboard then recomputes only today and the window's
 * edges: `tier_performance` over 30 days returns ~7,400 rows at 1M executions, of which a few hundred are new.
 */
export class DayCache {
  readonly #entry: KeyEntry
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
    const entry = caches.get(key) ?? { days: new Map() }
    caches.delete(key)
    caches.set(key, entry) // most recently used last
    if (caches.size > MAX_KEYS) caches.delete(caches.keys().next().value as string)
    if (entry.days.size > MAX_DAYS) entry.days.clear()
    this.#entry = entry
    for (const day of wholeDays) {
      const version = rollupDayVersion(store, day)
      this.#versions.set(day, version)
      if (entry.days.get(day)?.version === version) this.reused.add(day)
    }
  }

  /**
   * The full answer: `computed` (the rows of the days not reused, ordered by day newest first) with the
   * reused days' rows put in order. The computed whole days are kept for next time; rows are copied in and
   * out (callers may change what they get).
   */
  merge(computed: readonly Row[], dayColumn: string): Row[] {
    const copy = (rows: readonly Row[]) => rows.map((r) => ({ ...r }))
    const byDay = this.#keep(computed, dayColumn, Number.POSITIVE_INFINITY, copy)
    for (const day of this.reused) byDay.set(day, copy(this.#entry.days.get(day)!.rows))
    return [...byDay.keys()]
      .sort()
      .reverse()
      .flatMap((day) => byDay.get(day)!)
  }

  /**
   * Keep the computed whole days (except days of more than `maxRowsPerDay` rows: memory) and hand back the
   * computed and reused rows apart, for a query that combines days itself; nothing is copied.
   */
  split(computed: readonly Row[], dayColumn: string, maxRowsPerDay = Number.POSITIVE_INFINITY): DaySplit {
    this.#keep(computed, dayColumn, maxRowsPerDay, (rows) => rows)
    const reused = [...this.reused].flatMap((day) => this.#entry.days.get(day)!.rows)
    const signature = [...this.reused].map((day) => `${day}@${this.#versions.get(day)}`).join(',')
    const entry = this.#entry
    return {
      computed,
      reused,
      derived<T>(derive: (rows: readonly Row[]) => T): T {
        if (entry.derived?.signature !== signature) entry.derived = { signature, value: derive(reused) }
        return entry.derived.value as T
      },
    }
  }

  /** Group `computed` by day and keep its whole days under the versions read at construction. */
  #keep(
    computed: readonly Row[],
    dayColumn: string,
    maxRowsPerDay: number,
    copy: (rows: readonly Row[]) => readonly Row[],
  ): Map<string, Row[]> {
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
      this.#entry.days.set(day, { version, rows: copy(rows) })
    }
    return byDay
  }
}
