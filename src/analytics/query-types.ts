import type { DuckDBConnection } from '@duckdb/node-api'
import type { DaySplit } from './day-cache.js'
import type { FactSql, Filters } from './fact-source.js'
import type { Bucket, DefaultWindow, QueryParamName, ResolvedParams } from './query-params.js'
import type { Grain } from './rollup-schema.js'

/** The dashboard panel a query is drawn as. */
export type PanelKind = 'stat' | 'timeseries' | 'bargauge' | 'donut' | 'table' | 'gauge' | 'heatmap'

/** What a named query is, what it accepts and what it returns (for listings, HTTP, OpenAPI, the dashboard). */
export interface QueryInfo {
  name: string
  title: string
  description: string
  /** Parameter names this query accepts; any other is rejected. */
  params: QueryParamName[]
  result: { kind: 'rows' | 'stat' | 'series'; columns: string[] }
  panel?: PanelKind
}

/** The answer of a named query: JSON-friendly rows (ISO strings, plain numbers). */
export interface QueryResult {
  name: string
  params: ResolvedParams
  rows: Record<string, unknown>[]
  generated_at: string
  /** 'rollup' when whole periods came from the rollup tables, 'raw' when everything was scanned. */
  source: 'rollup' | 'raw'
}

/** What a query's body gets: the resolved parameters and ways to read facts. */
export interface QueryContext {
  readonly conn: DuckDBConnection
  readonly params: ResolvedParams
  readonly window: { since: Date; until: Date }
  readonly filters: Filters
  readonly now: Date
  /** The `facts` CTE at a grain (rollup for whole periods when allowed). Marks the result as rollup-backed. */
  facts(grain: Grain | 'total'): FactSql
  /** ` AND timestamp >= $since AND timestamp < $until AND <filters>` for queries that read `executions` directly. */
  readonly rawWhere: string
  /** The bound values of `rawWhere`. */
  readonly rawValues: Record<string, unknown>
  /**
   * For a query that aggregates raw rows by day and then combines the days itself: the rows of
   * `sql(where)` for the window, where `where` selects a time range and the filters and `sql` groups by a
   * `day` column. Whole days come from the day cache while their rollup version stands (days of more than
   * `maxRowsPerDay` rows are not kept), apart from the rows read now. Undefined when rollups are off: the
   * query then answers from its plain SQL.
   */
  readonly rawByDay?: (sql: (where: string) => string, maxRowsPerDay?: number) => Promise<DaySplit>
  /** Run SQL with bound values; rows come back JSON-friendly. */
  rows(sql: string, values: Record<string, unknown>): Promise<Record<string, unknown>[]>
}

/** A named query: its description plus its body. */
export interface QueryDefinition extends Omit<QueryInfo, 'params'> {
  /** Extra parameters beyond the window and the four filters ('bucket' for series). */
  extraParams?: QueryParamName[]
  /** false for queries without a time window (retention age buckets, executions today). */
  windowed?: boolean
  defaultWindow: DefaultWindow
  defaultBucket?: Bucket
  /**
   * The column holding each row's day, for a query whose rows of a whole day depend only on that day's
   * rollup rows (day-grain facts grouped by day) and that orders rows by it, newest first: its answer is
   * then kept per day and reused until the day's rollup rows change (see `DayCache`).
   */
  dayColumn?: string
  run(ctx: QueryContext): Promise<Record<string, unknown>[]>
}
