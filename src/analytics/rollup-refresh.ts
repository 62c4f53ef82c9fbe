import { LearningError } from '../errors.js'
import type { Execution } from '../record.js'
import type { CommitInfo, Store } from '../store.js'
import {
  advanceWatermark,
  appendIncrement,
  clearRollups,
  compactDays,
  dayOf,
  findStaleDays,
  fragmentedDays,
  rebuildDays,
} from './rollup-build.js'
import { rollupDaysChanged } from './rollup-versions.js'

/** What one refresh did. */
export interface RollupRefreshReport {
  /** Days whose rollup rows were recomputed. */
  days_refreshed: number
  duration_ms: number
}

/** Options of `refreshRollups`. */
export interface RefreshRollupsOptions {
  /** Recompute every day from this date-time on (e.g. the oldest row a retention run deleted). */
  from?: Date | string
  /** ... up to this date-time (default: now). */
  to?: Date | string
  /** Drop and rebuild everything. */
  full?: boolean
  /**
   * Also compare every day's row count with the rollups (a scan of the whole table) to find days changed
   * outside this store. Default true; false refreshes only the days written through this store and the
   * range named, as the write path does after each batch.
   */
  check?: boolean
}

/** How long a successful consistency check is trusted before queries run it again (catches out-of-band SQL). */
export const ROLLUP_CHECK_INTERVAL_MS = 10_000
/** Delay between a committed write and the background refresh it schedules (merges bursts of batches). */
export const ROLLUP_REFRESH_DELAY_MS = 250
/**
 * Background refreshes hold the writer; spacing them by this many times their own duration keeps them
 * under ~10 % of the writer's time during bulk loads (a query still refreshes at once when it needs to).
 */
export const ROLLUP_REFRESH_SPACING = 10
/**
 * Folds append a batch's aggregates as more rows of their groups; every this many folds (and at every
 * consistency check) the days they touched are compacted back to one row per group.
 */
export const ROLLUP_COMPACT_EVERY = 8

interface RollupState {
  /** Days to recompute from the raw rows. */
  pending: Set<string>
  /** Batches of new rows (their uploaded_at stamps, ms) to fold in without recomputing their days. */
  stamps: number[]
  /** Days that folds appended rows to since they were last compacted. */
  fragmentDays: Set<string>
  /** Folds since the last compaction. */
  foldsSinceCompaction: number
  /** A write replaced rows (retries) since the last check: only the full count check finds the day they left. */
  mustCheck: boolean
  /** Folds ran since the watermark was last written: the next refresh that is not a plain fold writes it. */
  watermarkDue: boolean
  checkedAt: number
  lastDurationMs: number
  running: Promise<RollupRefreshReport> | undefined
  /** The periodic safety check is running in the background: queries do not wait for it. */
  backgroundCheck: boolean
  timer: NodeJS.Timeout | undefined
  unsubscribe: () => void
}

const states = new WeakMap<Store, RollupState>()

function stateOf(store: Store): RollupState {
  let state = states.get(store)
  if (!state) {
    const s: RollupState = {
      pending: new Set(),
      stamps: [],
      fragmentDays: new Set(),
      foldsSinceCompaction: 0,
      mustCheck: true,
      watermarkDue: false,
      checkedAt: 0,
      lastDurationMs: 0,
      running: undefined,
      backgroundCheck: false,
      timer: undefined,
      unsubscribe: () => {},
    }
    s.unsubscribe = store.onCommit((written, info) => onWrite(store, s, written, info))
    states.set(store, s)
    state = s
  }
  return state
}

function onWrite(store: Store, state: RollupState, written: readonly Execution[], info: CommitInfo): void {
  if (info.updated > 0) {
    // A retry may have moved a row out of another day: the count check of the next refresh finds that day.
    for (const e of written) state.pending.add(dayOf(e.timestamp))
    state.mustCheck = true
  } else {
    // New rows only: fold them in by their batch stamp; a row that brought its own uploaded_at (an import)
    // cannot be found by the stamp, so its day is recomputed.
    state.stamps.push(info.uploadedAt.getTime())
    for (const e of written) if (e.uploaded_at !== null) state.pending.add(dayOf(e.timestamp))
  }
  if (state.timer === undefined) {
    state.timer = setTimeout(
      () => {
        state.timer = undefined
        runRefresh(store, state, [], false, false).catch(ignoreClosed)
      },
      Math.max(ROLLUP_REFRESH_DELAY_MS, ROLLUP_REFRESH_SPACING * state.lastDurationMs),
    )
    state.timer.unref()
  }
}

function ignoreClosed(error: unknown): void {
  if (error instanceof LearningError && (error.code === 'unavailable' || error.code === 'conflict')) return
  process.emitWarning(`orb-learning rollup refresh failed: ${String(error)}`)
}

async function runRefresh(
  store: Store,
  state: RollupState,
  extra: Iterable<string> = [],
  full = false,
  check = true,
): Promise<RollupRefreshReport> {
  while (state.running) await state.running.catch(() => undefined)
  const started = performance.now()
  const run = store.withWriter(async (conn) => {
    const days = new Set([...state.pending, ...extra])
    const stamps = state.stamps.splice(0)
    const checking = check || full || state.mustCheck
    state.pending.clear()
    if (checking) state.mustCheck = false
    await conn.run('BEGIN TRANSACTION')
    try {
      if (full) await clearRollups(conn)
      // Every row up to now is in the rollups: a watermark the folds left behind moves up before the check
      // looks for rows after it (else it would recompute the days those folds already counted).
      if (checking && state.watermarkDue && !full) await advanceWatermark(conn)
      if (checking) for (const day of (await findStaleDays(conn)).days) days.add(day)
      // New rows of days that are recomputed anyway are left to the recomputation.
      const folded = await appendIncrement(conn, stamps, days)
      const refreshed = folded.length + (days.size === 0 ? 0 : await rebuildDays(conn, days))
      // Recomputed days are compact; the others keep their folds' rows until compacted, now or later. The first
      // check of a process also finds the days that folds of an earlier one left uncompacted.
      const earlier = checking && state.checkedAt === 0 ? await fragmentedDays(conn) : []
      const fragments = new Set(
        [...state.fragmentDays, ...folded, ...earlier].filter((day) => !days.has(day)),
      )
      const folds = state.foldsSinceCompaction + (folded.length > 0 ? 1 : 0)
      const compact = fragments.size > 0 && (checking || folds >= ROLLUP_COMPACT_EVERY)
      if (compact) await compactDays(conn, fragments)
      // A plain fold (new rows only, nothing recomputed or checked) leaves the watermark to the next other
      // refresh: reading and writing it was ~7 ms of a ~90 ms live refresh. A process that stops before then
      // leaves it behind, and the first check after open recomputes the days folded since (still correct).
      const plainFold = !checking && days.size === 0
      if (refreshed > 0 && !plainFold) await advanceWatermark(conn)
      await conn.run('COMMIT')
      rollupDaysChanged(store, full ? 'all' : [...days, ...folded])
      state.watermarkDue = plainFold ? state.watermarkDue || refreshed > 0 : false
      state.fragmentDays = compact ? new Set() : fragments
      state.foldsSinceCompaction = compact ? 0 : folds
      if (checking) state.checkedAt = Date.now()
      state.lastDurationMs = performance.now() - started
      return { days_refreshed: refreshed, duration_ms: state.lastDurationMs }
    } catch (error) {
      await conn.run('ROLLBACK').catch(() => undefined)
      for (const day of days) state.pending.add(day)
      state.stamps.push(...stamps)
      if (checking) state.mustCheck = true
      throw error
    }
  })
  state.running = run
  try {
    return await run
  } finally {
    if (state.running === run) state.running = undefined
  }
}

/**
 * Bring the rollup tables up to date with `executions` now: days written through this store, days whose
 * row count changed (retries, deletions, other processes), and any range the caller names.
 * Call it with `from`/`to` after changing or deleting rows with plain SQL (retention does).
 * @example
 * await refreshRollups(store, { from: cutoff })   // after deleting rows older than cutoff
 */
export async function refreshRollups(
  store: Store,
  options: RefreshRollupsOptions = {},
): Promise<RollupRefreshReport> {
  const state = stateOf(store)
  const days: string[] = []
  if (options.from !== undefined) {
    const from = new Date(options.from)
    const to = options.to === undefined ? new Date() : new Date(options.to)
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || from > to) {
      throw new LearningError(
        'invalid_input',
        `refreshRollups needs from <= to, got from=${String(options.from)} to=${String(options.to)}`,
      )
    }
    for (let t = Date.parse(dayOf(from)); t <= to.getTime(); t += 86_400_000) days.push(dayOf(new Date(t)))
  }
  return runRefresh(store, state, days, options.full === true, options.check !== false)
}

/** Mark days as changed (rows updated or deleted outside `recordExecutions`); the next query refreshes them. */
export function invalidateRollups(store: Store, from: Date | string, to: Date | string = new Date()): void {
  const state = stateOf(store)
  for (let t = Date.parse(dayOf(new Date(from))); t <= new Date(to).getTime(); t += 86_400_000) {
    state.pending.add(dayOf(new Date(t)))
  }
  state.mustCheck = true
}

/** Keep the rollups of this store up to date in the background from now on (queries do this on first use). */
export function watchRollups(store: Store): void {
  stateOf(store)
}

/**
 * Make sure the rollups reflect every committed write before a query reads them.
 * Returns false when they cannot be used (read-only store): queries then scan `executions`.
 */
export async function ensureRollupsFresh(store: Store): Promise<boolean> {
  if (store.config.readOnly) return false
  const state = stateOf(store)
  // Concurrent queries (a dashboard) share the refresh in flight instead of queueing one each.
  if (state.running && !state.backgroundCheck) await state.running.catch(() => undefined)
  if (state.pending.size > 0 || state.stamps.length > 0 || state.mustCheck) {
    await runRefresh(store, state, [], false, false)
  } else if (Date.now() - state.checkedAt > ROLLUP_CHECK_INTERVAL_MS) {
    // The periodic check only catches SQL that changed rows without `invalidateRollups`: it runs (a full
    // count per day) in the background, and this query answers from the rollups as they are.
    state.checkedAt = Date.now()
    state.backgroundCheck = true
    runRefresh(store, state)
      .catch(ignoreClosed)
      .finally(() => {
        state.backgroundCheck = false
      })
  }
  return true
}
