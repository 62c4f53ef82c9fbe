import { BIGINT, type DuckDBConnection, type DuckDBValue, LIST, listValue, VARCHAR } from '@duckdb/node-api'
import { getMetadata, setMetadata } from '../db/metadata-table.js'
import { GRAINS, MEASURE_AGGREGATES, MEASURE_MERGES } from './rollup-schema.js'

const WATERMARK_KEY = 'rollup_watermark'
const DAY_MS = 86_400_000

/** A day as 'YYYY-MM-DD' (UTC). */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/**
 * Days whose rollup no longer matches `executions`: a raw row count that differs from the one the day was
 * built from (inserted, moved-out or deleted rows), or rows uploaded after the watermark (inserts, retries).
 */
export async function findStaleDays(
  conn: DuckDBConnection,
): Promise<{ days: string[]; watermark: string | null }> {
  const watermark = (await getMetadata(conn, WATERMARK_KEY)) ?? null
  const reader = await conn.runAndReadAll(
    `WITH raw_days AS (SELECT timestamp::DATE AS day, count(*) AS n FROM executions GROUP BY 1)
     SELECT coalesce(r.day, d.day)::VARCHAR AS day FROM raw_days r FULL JOIN rollup_days d ON r.day = d.day
     WHERE r.n IS DISTINCT FROM d.executions
     UNION
     SELECT DISTINCT timestamp::DATE::VARCHAR FROM executions
     WHERE $watermark::TIMESTAMP IS NULL OR uploaded_at > $watermark::TIMESTAMP`,
    { watermark },
  )
  return { days: reader.getRowsJS().map((r) => String(r[0])), watermark }
}

/** Merge days into contiguous [from, to) ranges (ISO dates), so each range can use the timestamp zone maps. */
export function dayRanges(days: Iterable<string>): [from: string, to: string][] {
  const sorted = [...new Set(days)].sort()
  const ranges: [string, string][] = []
  for (const day of sorted) {
    const next = dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS))
    const last = ranges.at(-1)
    if (last && last[1] === day) last[1] = next
    else ranges.push([day, next])
  }
  return ranges
}

function rangeWhere(column: string, ranges: readonly [string, string][], cast: string): string {
  return ranges.map((_, i) => `(${column} >= $f${i}::${cast} AND ${column} < $t${i}::${cast})`).join(' OR ')
}

/**
 * Recompute the rollup rows of the given days from `executions` (delete, then aggregate again) and record
 * each day's raw row count. Runs in the caller's transaction.
 */
export async function rebuildDays(conn: DuckDBConnection, days: Iterable<string>): Promise<number> {
  const ranges = dayRanges(days)
  await inRangeChunks(ranges, async (chunk, values) => {
    const ts = rangeWhere('timestamp', chunk, 'TIMESTAMP')
    await conn.run(`DELETE FROM rollup_days WHERE ${rangeWhere('day', chunk, 'DATE')}`, values)
    for (const g of Object.values(GRAINS)) {
      const keys = g.keys.join(', ')
      await conn.run(`DELETE FROM ${g.table} WHERE ${rangeWhere(g.time, chunk, 'TIMESTAMP')}`, values)
      await conn.run(
        `INSERT INTO ${g.table} SELECT ${g.timeExpr} AS ${g.time}, ${keys}, ${MEASURE_AGGREGATES}
         FROM executions WHERE ${ts} GROUP BY ${g.timeExpr}, ${keys}`,
        values,
      )
    }
    await conn.run(
      `INSERT INTO rollup_days (day, executions) SELECT timestamp::DATE, count(*) FROM executions WHERE ${ts} GROUP BY 1`,
      values,
    )
  })
  return ranges.reduce((n, [from, to]) => n + (Date.parse(to) - Date.parse(from)) / DAY_MS, 0)
}

/** Run `fn` on chunks of at most 64 ranges (few OR-ed ranges and bound values per statement), `$fN`/`$tN` bound. */
async function inRangeChunks(
  ranges: readonly [string, string][],
  fn: (chunk: [string, string][], values: Record<string, DuckDBValue>) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < ranges.length; i += 64) {
    const chunk = ranges.slice(i, i + 64)
    const values: Record<string, DuckDBValue> = {}
    chunk.forEach(([from, to], j) => {
      values[`f${j}`] = from
      values[`t${j}`] = to
    })
    await fn(chunk, values)
  }
}

/** Every rollup's dimensions: a fold aggregates new rows by hour and these, then each rollup merges. */
const FOLD_KEYS = [...new Set(Object.values(GRAINS).flatMap((g) => [...g.keys]))]

/**
 * Fold new rows into the rollups without recomputing their days: the rows written with one of the batch
 * `stamps` as uploaded_at (ms), except on `skipDays` (rebuilt from scratch in the same transaction).
 * Their aggregates are appended as more rows of their groups (every query sums a group's rows, so a group may
 * have several until `compactDays` merges them); the days' row counts are updated. Returns the days touched.
 * Runs in the caller's transaction.
 */
export async function appendIncrement(
  conn: DuckDBConnection,
  stamps: readonly number[],
  skipDays: Iterable<string>,
): Promise<string[]> {
  if (stamps.length === 0) return []
  const skip = [...skipDays]
  const values: Record<string, DuckDBValue> = {
    stamps: listValue(stamps.map((ms) => BigInt(ms))),
    lo: BigInt(Math.min(...stamps)),
    hi: BigInt(Math.max(...stamps)),
    ...(skip.length > 0 ? { skip: listValue(skip) } : {}),
  }
  // The range lets zone maps skip every row group written before the first stamp; list_contains instead of
  // IN (subquery), and no day test when no day is skipped, keep the rest a plain filter (no joins).
  const where = `uploaded_at >= make_timestamp($lo::BIGINT * 1000) AND uploaded_at <= make_timestamp($hi::BIGINT * 1000)
    AND list_contains($stamps::BIGINT[], epoch_ms(uploaded_at))${
      skip.length > 0 ? ' AND NOT list_contains($skip::VARCHAR[], timestamp::DATE::VARCHAR)' : ''
    }`
  // The new rows are aggregated once, per hour and every rollup key; each rollup then merges those groups
  // (as compaction does: sums add, lists concatenate), so the raw rows are read and aggregated once, not per
  // rollup. The groups' hour is named `timestamp` so that each grain's time expression applies unchanged.
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE rollup_new_groups AS
     SELECT date_trunc('hour', timestamp) AS timestamp, ${FOLD_KEYS.join(', ')}, ${MEASURE_AGGREGATES}
     FROM executions WHERE ${where} GROUP BY ALL`,
    values,
    { stamps: LIST(BIGINT), ...(skip.length > 0 ? { skip: LIST(VARCHAR) } : {}) },
  )
  for (const g of Object.values(GRAINS)) {
    const keys = g.keys.join(', ')
    await conn.run(
      `INSERT INTO ${g.table} BY NAME SELECT ${g.timeExpr} AS ${g.time}, ${keys}, ${MEASURE_MERGES}
       FROM rollup_new_groups GROUP BY ${g.timeExpr}, ${keys}`,
    )
  }
  // One row per day touched; the temp table stays for the next fold to replace.
  const days = await conn.runAndReadAll(
    `INSERT INTO rollup_days (day, executions)
     SELECT timestamp::DATE, sum(executions) FROM rollup_new_groups GROUP BY 1
     ON CONFLICT (day) DO UPDATE SET executions = executions + excluded.executions, refreshed_at = now()::TIMESTAMP
     RETURNING day::VARCHAR`,
  )
  return days.getRowsJS().map((r) => String(r[0]))
}

/** Days on which some group has more than one rollup row (folds not compacted before the store closed). */
export async function fragmentedDays(conn: DuckDBConnection): Promise<string[]> {
  const parts = Object.values(GRAINS).map(
    (g) =>
      `SELECT ${g.time}::DATE::VARCHAR AS day FROM ${g.table} GROUP BY ${[g.time, ...g.keys].join(', ')} HAVING count(*) > 1`,
  )
  const reader = await conn.runAndReadAll(`SELECT DISTINCT day FROM (${parts.join(' UNION ALL ')})`)
  return reader.getRowsJS().map((r) => String(r[0]))
}

/** Merge the rows of each group into one on the given days (folds appended several). In the caller's transaction. */
export async function compactDays(conn: DuckDBConnection, days: Iterable<string>): Promise<void> {
  await inRangeChunks(dayRanges(days), async (chunk, values) => {
    for (const g of Object.values(GRAINS)) {
      const keys = g.keys.join(', ')
      const span = rangeWhere(g.time, chunk, 'TIMESTAMP')
      await conn.run(
        `CREATE OR REPLACE TEMP TABLE rollup_merged AS
         SELECT ${g.time}, ${keys}, ${MEASURE_MERGES} FROM ${g.table} WHERE ${span} GROUP BY ${g.time}, ${keys}`,
        values,
      )
      await conn.run(`DELETE FROM ${g.table} WHERE ${span}`, values)
      await conn.run(`INSERT INTO ${g.table} BY NAME SELECT * FROM rollup_merged`)
    }
  })
}

/** After a refresh: every row up to the newest uploaded_at is in the rollups. Runs in the caller's transaction. */
export async function advanceWatermark(conn: DuckDBConnection): Promise<void> {
  const reader = await conn.runAndReadAll('SELECT max(uploaded_at)::VARCHAR FROM executions')
  const [latest] = reader.getRowsJS()
  if (latest?.[0] != null) await setMetadata(conn, WATERMARK_KEY, String(latest[0]))
}

/** Empty every rollup table (before a full rebuild). */
export async function clearRollups(conn: DuckDBConnection): Promise<void> {
  for (const g of Object.values(GRAINS)) await conn.run(`DELETE FROM ${g.table}`)
  await conn.run('DELETE FROM rollup_days')
  await conn.run(`DELETE FROM metadata WHERE key = '${WATERMARK_KEY}'`)
}
