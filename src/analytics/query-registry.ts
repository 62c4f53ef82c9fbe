import type { DuckDBValue } from '@duckdb/node-api'
import { LearningError } from '../errors.js'
import type { Store } from '../store.js'
import { DayCache, type DaySplit } from './day-cache.js'
import {
  type FactSql,
  type Filters,
  factsCte,
  filterClause,
  filterValues,
  rangesOutside,
  rollupCovers,
  sqlTimestamp,
  wholeDays,
} from './fact-source.js'
import { jsonRows } from './json-rows.js'
import { ALL_QUERIES } from './queries/index.js'
import { FILTERS, type QueryParamName, resolveParams } from './query-params.js'
import type { QueryContext, QueryDefinition, QueryInfo, QueryResult } from './query-types.js'
import { ensureRollupsFresh } from './rollup-refresh.js'

const BY_NAME = new Map(ALL_QUERIES.map((q) => [q.name, q]))

/** Options of `runQuery`. */
export interface RunQueryOptions {
  /** The clock (tests, reproducible reports). Default: now. */
  now?: Date
  /** Read rollup tables for whole periods (default true); false computes everything from `executions`. */
  useRollups?: boolean
}

function acceptedParams(q: QueryDefinition): QueryParamName[] {
  const window: QueryParamName[] = q.windowed === false ? [] : ['range', 'since', 'until']
  return [...window, ...FILTERS, ...(q.extraParams ?? [])]
}

function info(q: QueryDefinition): QueryInfo {
  const out: QueryInfo = {
    name: q.name,
    title: q.title,
    description: q.description,
    params: acceptedParams(q),
    result: q.result,
  }
  if (q.panel !== undefined) out.panel = q.panel
  return out
}

/** Every named query: name, title, description, accepted parameters, result shape and panel kind. */
export function listQueries(): QueryInfo[] {
  return ALL_QUERIES.map(info)
}

/** One named query's description, or `not_found`. */
export function getQueryInfo(name: string): QueryInfo {
  return info(definition(name))
}

function definition(name: string): QueryDefinition {
  const q = typeof name === 'string' ? BY_NAME.get(name) : undefined
  if (!q) {
    throw new LearningError(
      'not_found',
      `unknown query ${JSON.stringify(name)}; 'orb-learning queries' lists them`,
    )
  }
  return q
}

/**
 * `QueryContext.rawByDay`: the rows of a by-day aggregate `sql(where)` over the window, whole days kept in a
 * day cache under `key` and reused while their rollup version stands; only the rest is read, as time ranges.
 */
async function rawRowsByDay(
  store: Store,
  key: string,
  window: { since: Date; until: Date },
  filters: Filters,
  rows: QueryContext['rows'],
  sql: (where: string) => string,
  maxRowsPerDay?: number,
): Promise<DaySplit> {
  const cache = new DayCache(store, key, wholeDays(window))
  const values: Record<string, unknown> = filterValues(filters)
  const parts = rangesOutside(window, cache.reused).map(([from, to], i) => {
    values[`from_${i}`] = sqlTimestamp(from)
    values[`to_${i}`] = sqlTimestamp(to)
    return sql(
      `timestamp >= $from_${i}::TIMESTAMP AND timestamp < $to_${i}::TIMESTAMP${filterClause(filters)}`,
    )
  })
  const computed = parts.length > 0 ? await rows(parts.join(' UNION ALL '), values) : []
  return cache.split(computed, 'day', maxRowsPerDay)
}

/**
 * Run a named query with validated parameters; whole days/hours come from the rollups, edges from raw rows.
 * @example
 * const { rows } = await runQuery(store, 'success_by_model_tier', { range: '30d', repo: 'orb/api' })
 */
export async function runQuery(
  store: Store,
  name: string,
  params: unknown = {},
  options: RunQueryOptions = {},
): Promise<QueryResult> {
  const q = definition(name)
  const now = options.now ?? new Date()
  const resolved = resolveParams(
    params,
    acceptedParams(q),
    { window: q.defaultWindow, ...(q.defaultBucket ? { bucket: q.defaultBucket } : {}) },
    now,
  )
  const useRollups = (options.useRollups ?? true) && (await ensureRollupsFresh(store))
  const window = { since: new Date(resolved.since), until: new Date(resolved.until) }
  const filters: Filters = {}
  for (const f of FILTERS) if (resolved[f] !== undefined) filters[f] = resolved[f]
  let usedRollup = false
  const built: FactSql[] = []
  const dayCache =
    q.dayColumn !== undefined && useRollups && rollupCovers('day', filters)
      ? new DayCache(store, `${q.name} ${JSON.stringify(filters)}`, wholeDays(window))
      : undefined
  const rows = await store.read(async (conn) => {
    const rows: QueryContext['rows'] = async (sql, values) => {
      for (const f of built)
        if (sql.includes(f.cte)) sql = sql.replace(f.cte, f.narrow(sql.replace(f.cte, '')))
      return jsonRows(await conn.run(sql, values as Record<string, DuckDBValue>))
    }
    const ctx: QueryContext = {
      conn,
      params: resolved,
      window,
      filters,
      now,
      rawWhere: ` AND timestamp >= $since::TIMESTAMP AND timestamp < $until::TIMESTAMP${filterClause(filters)}`,
      rawValues: {
        since: sqlTimestamp(window.since),
        until: sqlTimestamp(window.until),
        ...filterValues(filters),
      },
      facts(grain) {
        const g =
          grain !== 'total'
            ? grain
            : rollupCovers('hour', filters) &&
                window.until.getTime() - window.since.getTime() <= 7 * 86_400_000
              ? 'hour'
              : 'day'
        const f = factsCte(g, window, filters, useRollups, dayCache ? [...dayCache.reused] : [])
        usedRollup ||= f.usedRollup
        built.push(f)
        return f
      },
      rows,
      ...(useRollups
        ? {
            rawByDay: (sql: (where: string) => string, maxRowsPerDay?: number) =>
              rawRowsByDay(
                store,
                `${q.name} raw ${JSON.stringify(filters)}`,
                window,
                filters,
                rows,
                sql,
                maxRowsPerDay,
              ),
          }
        : {}),
    }
    const computed = await q.run(ctx)
    return dayCache && q.dayColumn ? dayCache.merge(computed, q.dayColumn) : computed
  })
  return {
    name: q.name,
    params: resolved,
    rows,
    generated_at: now.toISOString(),
    source: usedRollup ? 'rollup' : 'raw',
  }
}
