import type { DuckDBValue } from '@duckdb/node-api'
import { FILTERS, type FilterName } from './query-params.js'
import { GRAINS, type Grain, MEASURE_AGGREGATES, MEASURE_COLUMNS } from './rollup-schema.js'

/** Filter values of a query (each bound, never spliced). */
export type Filters = Partial<Record<FilterName, string>>

/** A `facts` CTE and its bound values: rollup rows for whole periods, raw aggregates for the edges. */
export interface FactSql {
  cte: string
  values: Record<string, DuckDBValue>
  usedRollup: boolean
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
): FactSql {
  const g = GRAINS[grain]
  let fullFrom = alignUp(window.since, grain)
  let fullTo = alignDown(window.until, grain)
  const usedRollup = useRollup && rollupCovers(grain, filters) && fullFrom.getTime() < fullTo.getTime()
  if (!usedRollup) {
    fullFrom = window.until
    fullTo = window.until
  }
  const keys = g.keys.join(', ')
  const rollupWhere = ` WHERE ${g.time} >= $full_from::${g.timeType} AND ${g.time} < $full_to::${g.timeType}`
  const rollupPart = `SELECT ${g.time}, ${keys}, ${MEASURE_COLUMNS} FROM ${g.table}${rollupWhere}${filterClause(filters)}`
  const rawPart = `SELECT ${g.timeExpr} AS ${g.time}, ${keys}, ${MEASURE_AGGREGATES} FROM executions
    WHERE ((timestamp >= $since::TIMESTAMP AND timestamp < $full_from::TIMESTAMP)
        OR (timestamp >= $full_to::TIMESTAMP AND timestamp < $until::TIMESTAMP))${filterClause(filters)}
    GROUP BY ${g.timeExpr}, ${keys}`
  return {
    cte: `facts AS (${usedRollup ? `${rollupPart} UNION ALL BY NAME ` : ''}${rawPart})`,
    values: {
      since: sqlTimestamp(window.since),
      until: sqlTimestamp(window.until),
      full_from: sqlTimestamp(fullFrom),
      full_to: sqlTimestamp(fullTo),
      ...filterValues(filters),
    },
    usedRollup,
  }
}
