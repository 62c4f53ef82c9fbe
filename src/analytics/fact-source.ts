import { type DuckDBValue, listValue } from '@duckdb/node-api'
import { FILTERS, type FilterName } from './query-params.js'
import { GRAINS, type Grain, MEASURES } from './rollup-schema.js'

/** Filter values of a query (each bound, never spliced). */
export type Filters = Partial<Record<FilterName, string>>

/** A `facts` CTE and its bound values: rollup rows for whole periods, raw aggregates for the edges. */
export interface FactSql {
  cte: string
  values: Record<string, DuckDBValue>
  usedRollup: boolean
  /**
   * The same CTE with only the measures `outerSql` (the statement around the CTE) names: planning and the raw
   * edges then cost what the query needs (2 measures instead of 21; no duration lists unless asked for).
   */
  narrow(outerSql: string): string
}

/** The measures whose names occur as words in `sql` (over-inclusion is harmless, omission would not bind). */
export function measuresIn(sql: string): (typeof MEASURES)[number][] {
  return MEASURES.filter(([name]) => new RegExp(`\\b${name}\\b`).test(sql))
}

/** A timestamp as DuckDB's TIMESTAMP text (UTC, no zone suffix). */
export function sqlTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '')
}

/** `AND col = $col` for each filter that is set; the column names come from the fixed FILTERS list. */
export function filterClause(filters: Filters, alias = ''): string {
  return FILTERS.filter((f) => filters[f] !== undefined)
    .map((f) => ` AND ${alias}${f} = $${f}`)
    .join('')
}

/** The bound values of the filters that are set. */
export function filterValues(filters: Filters): Record<string, DuckDBValue> {
  const values: Record<string, DuckDBValue> = {}
  for (const f of FILTERS) if (filters[f] !== undefined) values[f] = filters[f]
  return values
}

function alignDown(date: Date, grain: Grain): Date {
  const d = new Date(date)
  if (grain === 'day') d.setUTCHours(0, 0, 0, 0)
  else d.setUTCMinutes(0, 0, 0)
  return d
}

function alignUp(date: Date, grain: Grain): Date {
  const down = alignDown(date, grain)
  if (down.getTime() === date.getTime()) return down
  return new Date(down.getTime() + (grain === 'day' ? 86_400_000 : 3_600_000))
}

/** The whole days (`YYYY-MM-DD`) of a window: those its day-grain facts read from the rollup. */
export function wholeDays(window: { since: Date; until: Date }): string[] {
  const days: string[] = []
  const to = alignDown(window.until, 'day').getTime()
  for (let t = alignUp(window.since, 'day').getTime(); t < to; t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10))
  return days
}

/** The parts of a window outside the given whole days, as [from, to) ranges in time order. */
export function rangesOutside(
  window: { since: Date; until: Date },
  days: ReadonlySet<string>,
): [Date, Date][] {
  const ranges: [Date, Date][] = []
  let from = window.since
  for (const day of wholeDays(window)) {
    if (!days.has(day)) continue
    const start = new Date(`${day}T00:00:00.000Z`)
    if (from < start) ranges.push([from, start])
    from = new Date(start.getTime() + 86_400_000)
  }
  if (from < window.until) ranges.push([from, window.until])
  return ranges
}

/** Whether a grain's rollup can answer these filters (its dimensions include every filtered column). */
export function rollupCovers(grain: Grain, filters: Filters): boolean {
  const keys = GRAINS[grain].keys as readonly string[]
  return FILTERS.every((f) => filters[f] === undefined || keys.includes(f))
}

/**
 * Build `facts AS (...)`: one row per (period, dimensions) with the rollup measures, over [since, until).
 * Whole periods come from the rollup table when `useRollup`; the partial periods at both ends
 * (or everything, without rollup) are aggregated from `executions` with the same expressions.
 */
export function factsCte(
  grain: Grain,
  window: { since: Date; until: Date },
  filters: Filters,
  useRollup: boolean,
  skipDays: readonly string[] = [],
): FactSql {
  const g = GRAINS[grain]
  const fullFrom = alignUp(window.since, grain)
  const fullTo = alignDown(window.until, grain)
  const usedRollup = useRollup && rollupCovers(grain, filters) && fullFrom.getTime() < fullTo.getTime()
  const keys = g.keys.join(', ')
  // Whole days whose answer the caller already has (a day cache) are not read again; with none left, the
  // rollup table is not read at all (the query then aggregates the window's two raw edges only).
  const skip = grain === 'day' && skipDays.length > 0
  const skipped = new Set(skip ? skipDays : [])
  const readRollup = usedRollup && (!skip || wholeDays(window).some((day) => !skipped.has(day)))
  const rollupWhere = ` WHERE ${g.time} >= $full_from::${g.timeType} AND ${g.time} < $full_to::${g.timeType}${
    skip ? ` AND NOT list_contains($skip_days::DATE[], ${g.time})` : ''
  }`
  // Two plain ranges, not one OR: each edge is its own scan that zone maps can narrow to its hours.
  const edge = (from: string, to: string, aggregates: string) =>
    `SELECT ${g.timeExpr} AS ${g.time}, ${keys}, ${aggregates} FROM executions
    WHERE timestamp >= $${from}::TIMESTAMP AND timestamp < $${to}::TIMESTAMP${filterClause(filters)}
    GROUP BY ${g.timeExpr}, ${keys}`
  const build = (measures: typeof MEASURES) => {
    const columns = measures.map(([name]) => name).join(', ')
    const aggregates = measures.map(([name, type, agg]) => `(${agg})::${type} AS ${name}`).join(', ')
    const sep = columns ? ', ' : ''
    const rollupPart = `SELECT ${g.time}, ${keys}${sep}${columns} FROM ${g.table}${rollupWhere}${filterClause(filters)}`
    const rawParts = usedRollup
      ? `${edge('since', 'full_from', aggregates || 'count(*) AS _n')} UNION ALL BY NAME ${edge('full_to', 'until', aggregates || 'count(*) AS _n')}`
      : edge('since', 'until', aggregates || 'count(*) AS _n')
    return `facts AS (${readRollup ? `${rollupPart} UNION ALL BY NAME ` : ''}${rawParts})`
  }
  return {
    cte: build(MEASURES),
    narrow: (outerSql) => build(measuresIn(outerSql)),
    values: {
      since: sqlTimestamp(window.since),
      until: sqlTimestamp(window.until),
      ...(usedRollup ? { full_from: sqlTimestamp(fullFrom), full_to: sqlTimestamp(fullTo) } : {}),
      ...(readRollup && skip ? { skip_days: listValue([...skipDays]) } : {}),
      ...filterValues(filters),
    },
    usedRollup,
  }
}
