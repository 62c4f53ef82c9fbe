import { ARRAY, arrayValue, type DuckDBValue, FLOAT } from '@duckdb/node-api'
import { queryPreparedRows, queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { EMBEDDING_DIMENSIONS } from './dimensions.js'
import { countMatching, getFilterStats } from './filter-stats.js'
import { getVectorIndex } from './index-registry.js'
import { type ParsedSimilarQuery, parseSimilarQuery, type SimilarQuery } from './similar-query.js'
import { normalizeVector } from './unit-vector.js'
import { INDEXED_ROW_COLUMNS, type IndexedRow, type IndexHit } from './vector-index.js'

/** One similar past execution, with its exact cosine similarity to the query. */
export interface SimilarExecution {
  task_id: string
  timestamp: Date
  task_type: string
  repo: string
  model_tier: string
  pool_type: string
  success: boolean
  duration_seconds: number
  quality_score: number | null
  task_description: string
  solution_summary: string | null
  similarity: number
}

/** How a similarity query was answered (for benchmarks and diagnostics). */
export interface SimilarPlan {
  strategy: 'ann' | 'exact'
  candidates: number
}

/** Below this many indexed rows a query scans exactly instead of asking the ANN index. */
export const EXACT_SCAN_ROWS = 20_000
const MAX_CANDIDATES = 4_096
const OVERFETCH = 3
const F32_SLACK = 1e-6
// The query vector is bound as a typed FLOAT[384] value (parsing it from text costs a millisecond).
const QUERY_VECTOR_TYPE = { q: ARRAY(FLOAT, EMBEDDING_DIMENSIONS) }

/**
 * Past executions most similar to a task (text or embedding), most similar first, filtered by repo,
 * task type, success and age. Uses the ANN index with over-fetching and exact re-ranking from DuckDB;
 * plans an exact scan when the filters leave few rows, so filtered recall never collapses.
 * @example
 * const rows = await findSimilar(store, { text: 'fix flaky parser test', repo: 'orb/api', limit: 5 })
 */
export async function findSimilar(store: Store, input: SimilarQuery): Promise<SimilarExecution[]> {
  return (await findSimilarWithPlan(store, input)).rows
}

/** `findSimilar` that also says which strategy answered. */
export async function findSimilarWithPlan(
  store: Store,
  input: SimilarQuery,
  options: { forceStrategy?: 'ann' | 'exact' } = {},
): Promise<{ rows: SimilarExecution[]; plan: SimilarPlan }> {
  const query = parseSimilarQuery(input)
  const vector = await queryVector(store, query)
  if (!vector) return { rows: [], plan: { strategy: 'exact', candidates: 0 } }
  const index = options.forceStrategy === 'exact' ? undefined : await getVectorIndex(store)
  if (!index || index.size === 0) return exactScan(store, query, vector)
  const stats = await getFilterStats(store)
  const matching = Math.max(1, countMatching(stats, query))
  const total = Math.max(stats.total, index.size, 1)
  // Enough candidates that the filters leave about three times the rows asked for (twice gave recall@10
  // 0.948 for a 7-day window at 1M rows).
  let k = Math.ceil((query.limit * OVERFETCH * total) / matching) + 20
  if (options.forceStrategy !== 'ann' && (total < EXACT_SCAN_ROWS || k > MAX_CANDIDATES))
    return exactScan(store, query, vector)
  // i8 similarities are approximate: re-rank more candidates exactly, and look a little below the threshold.
  const approximate = index.options.quantization !== 'f32'
  // f32 similarities carry float error (an exact 0 can come back as -6e-8): a hair of slack keeps them in.
  const slack = approximate ? 0.05 : F32_SLACK
  const keep = rowFilter(query, Date.now())
  for (;;) {
    const { hits, found, farthest } = index.search(vector, Math.min(k, MAX_CANDIDATES), keep)
    const candidates = hits
      .filter((h) => h.similarity >= query.minSimilarity - slack)
      .slice(0, approximate ? query.limit * 4 : query.limit)
    // f32 similarities are exact and the index holds the rows' columns: answer from memory.
    const rows = approximate
      ? await rerankHits(store, query, candidates, keep, vector)
      : sortedRows(candidates.map((h) => similarRow(h.row, h.similarity))).slice(0, query.limit)
    const exhausted = found < k || farthest < query.minSimilarity - slack
    if (rows.length >= query.limit || exhausted) return { rows, plan: { strategy: 'ann', candidates: k } }
    if (k >= MAX_CANDIDATES || options.forceStrategy === 'ann') {
      if (options.forceStrategy === 'ann') return { rows, plan: { strategy: 'ann', candidates: k } }
      return exactScan(store, query, vector)
    }
    k = Math.min(MAX_CANDIDATES, k * 4)
  }
}

/** The query's filters as a predicate on the index's rows (the same rules as `filterSql`). */
function rowFilter(query: ParsedSimilarQuery, now: number): (row: IndexedRow) => boolean {
  const since = now - query.days * 86_400_000
  return (row) =>
    row.time >= since &&
    (query.repo === undefined || row.repo === query.repo) &&
    (query.taskType === undefined || row.task_type === query.taskType) &&
    (!query.successOnly || row.success)
}

/**
 * The reviewed system's name and argument order: `find_similar_executions(task_description, repo,
 * limit, days_back, threshold)`.
 */
export function find_similar_executions(
  store: Store,
  task_description: string,
  repo: string | null = null,
  limit = 10,
  days_back = 90,
  threshold = 0.7,
): Promise<SimilarExecution[]> {
  return findSimilar(store, {
    text: task_description,
    ...(repo === null ? {} : { repo }),
    limit,
    days: days_back,
    minSimilarity: threshold,
  })
}

async function queryVector(store: Store, query: ParsedSimilarQuery): Promise<Float32Array | null> {
  if (query.embedding) {
    const v = normalizeVector(Float32Array.from(query.embedding))
    if (!v) throw invalidInput('embedding must not be the zero vector')
    return v
  }
  const [v] = await store.embedder.embed([query.text!])
  return v ?? null
}

function filterSql(query: ParsedSimilarQuery, params: Record<string, DuckDBValue>): string {
  const where = ['embedding IS NOT NULL', `timestamp >= now()::TIMESTAMP - to_microseconds($micros::BIGINT)`]
  params.micros = BigInt(Math.round(query.days * 86_400_000_000))
  if (query.repo !== undefined) {
    where.push('repo = $repo')
    params.repo = query.repo
  }
  if (query.taskType !== undefined) {
    where.push('task_type = $task_type')
    params.task_type = query.taskType
  }
  if (query.successOnly) where.push('success')
  return where.join(' AND ')
}

async function exactScan(
  store: Store,
  query: ParsedSimilarQuery,
  vector: Float32Array,
): Promise<{ rows: SimilarExecution[]; plan: SimilarPlan }> {
  const params: Record<string, DuckDBValue> = {
    q: arrayValue(Array.from(vector)),
    min: query.minSimilarity,
    limit: query.limit,
  }
  const sql = `SELECT * FROM (
      SELECT ${INDEXED_ROW_COLUMNS}, array_cosine_similarity(embedding, $q) AS similarity
      FROM executions WHERE ${filterSql(query, params)})
    WHERE similarity >= $min ORDER BY similarity DESC, task_id LIMIT $limit`
  const found = await store.read((conn) =>
    queryRows<IndexedRow & { similarity: number }>(conn, sql, params, QUERY_VECTOR_TYPE),
  )
  const rows = found.map((r) => similarRow(r, Number(r.similarity)))
  return { rows, plan: { strategy: 'exact', candidates: rows.length } }
}

/**
 * The rows of i8 index hits, re-ranked by their exact similarity to `vector` (computed from the stored
 * embeddings), most similar first, at most `limit`. Fetched by task_id alone (a filter in the same WHERE can
 * make DuckDB scan the table instead of using the primary key); the filters are checked again on the fetched
 * values, so an entry that went stale since it was indexed drops out.
 */
async function rerankHits(
  store: Store,
  query: ParsedSimilarQuery,
  hits: readonly IndexHit[],
  keep: (row: IndexedRow) => boolean,
  vector: Float32Array,
): Promise<SimilarExecution[]> {
  if (hits.length === 0) return []
  const params: Record<string, DuckDBValue> = { q: arrayValue(Array.from(vector)) }
  hits.forEach((h, i) => {
    params[`id${i}`] = h.row.task_id
  })
  const ids = hits.map((_, i) => `$id${i}::UUID`).join(', ')
  const sql = `SELECT ${INDEXED_ROW_COLUMNS}, array_cosine_similarity(embedding, $q) AS similarity
    FROM executions WHERE task_id IN (${ids})`
  const rows = await store.read((conn) =>
    queryPreparedRows<IndexedRow & { similarity: number }>(conn, sql, params, QUERY_VECTOR_TYPE),
  )
  const found = rows
    .filter((r) => r.similarity >= query.minSimilarity && keep(r))
    .map((r) => similarRow(r, r.similarity))
  return sortedRows(found).slice(0, query.limit)
}

/** A result row from an index row. */
function similarRow(row: IndexedRow, similarity: number): SimilarExecution {
  const { time, ...columns } = row
  return { ...columns, timestamp: new Date(time), similarity }
}

/** The same order as the SQL scan: most similar first, ties by task_id. */
function sortedRows(rows: SimilarExecution[]): SimilarExecution[] {
  return rows.sort(
    (a, b) => b.similarity - a.similarity || (a.task_id < b.task_id ? -1 : a.task_id > b.task_id ? 1 : 0),
  )
}
