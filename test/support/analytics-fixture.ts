import assert from 'node:assert/strict'
import { recordExecutions } from '../../src/ingest/record-executions.js'
import type { Store } from '../../src/store.js'
import { execution } from './executions.js'

/** The clock of the fixed analytics dataset. */
export const NOW = new Date('2026-03-10T12:00:00Z')
const H = 3_600_000

/** Task id of fixture row n (1-10). */
export const fixtureId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

type Row = [
  hoursAgo: number,
  tier: string,
  pool: string,
  repo: string,
  type: string,
  success: boolean,
  duration: number,
  quality: number | null,
  estimate: number,
  actual: number,
  confidence: number,
  complexity: number,
  memory: number | null,
  cpu: number | null,
  accepted: boolean | null,
  rating: number | null,
  error: string | null,
  solution: string | null,
]

// Ten executions whose every aggregate is worked out by hand in test/analytics-named-queries.test.ts.
const ROWS: Row[] = [
  [1, 'small', 'p1', 'a', 't1', true, 2, 95, 0.1, 0.12, 0.9, 10, 100, 1, true, 5, null, 'S1'],
  [3, 'medium', 'p1', 'a', 't2', false, 20, 55, 0.2, 0.31, 0.6, 50, 300, 4, false, 2, 'timeout', 'S1'],
  [20, 'large', 'p2', 'b', 't1', true, 8, 80, 0.5, 0.4, 0.8, 85, 200, 3, null, null, null, null],
  [30, 'small', 'p2', 'b', 't2', true, 4, 70, 0, 0.05, 0.7, 25, null, null, null, null, null, null],
  [72, 'medium', 'p1', 'a', 't1', false, 40, null, 0.1, 0.1, 0.5, 45, 400, 10, null, null, 'crash', 'S1'],
  [120, 'small', 'p1', 'b', 't1', true, 1, 90, 0.1, 0.108, 1, 5, 50, 0.5, true, 4, null, null],
  [240, 'large', 'p2', 'a', 't2', true, 30, 60, 1, 0.8, 0.85, 70, 500, 20, null, null, null, 'S1'],
  [
    480,
    'medium',
    'p2',
    'c',
    't1',
    false,
    12,
    40,
    0.4,
    0.62,
    0.4,
    60,
    null,
    null,
    null,
    null,
    'timeout',
    null,
  ],
  [960, 'small', 'p1', 'a', 't1', true, 3, 85, 0.1, 0.1, 0.9, 15, 80, 1, null, null, null, 'S1'],
  [2400, 'large', 'p1', 'a', 't1', true, 6, 75, 0.3, 0.3, 0.9, 75, 90, 2, null, null, null, 'S1'],
]

/** Write the fixed dataset (timestamps relative to NOW). */
export async function recordFixture(store: Store): Promise<void> {
  const records = ROWS.map((r, i) =>
    execution({
      task_id: fixtureId(i + 1),
      timestamp: new Date(NOW.getTime() - r[0] * H).toISOString(),
      model_tier: r[1],
      pool_type: r[2],
      repo: r[3],
      task_type: r[4],
      success: r[5],
      duration_seconds: r[6],
      quality_score: r[7],
      cost_estimate: r[8],
      actual_cost: r[9],
      routing_confidence: r[10],
      complexity_score: r[11],
      peak_memory_mb: r[12],
      cpu_time_seconds: r[13],
      user_accepted: r[14],
      user_rating: r[15],
      error_type: r[16],
      solution_summary: r[17],
    }),
  )
  const result = await recordExecutions(store, records)
  assert.equal(result.inserted, ROWS.length, JSON.stringify(result.rejected))
}

/** Deep-equal where numbers may differ by a relative `tolerance` (float columns summed in another order). */
export function assertClose(actual: unknown, expected: unknown, tolerance = 1e-9, path = 'result'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const ok = Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected))
    assert.ok(ok, `${path}: expected ${expected}, got ${actual}`)
    return
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`)
    assert.equal(actual.length, expected.length, `${path}: length (${JSON.stringify(actual)})`)
    for (const [i, e] of expected.entries())
      assertClose((actual as unknown[])[i], e, tolerance, `${path}[${i}]`)
    return
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(
      actual !== null && typeof actual === 'object',
      `${path}: expected an object, got ${JSON.stringify(actual)}`,
    )
    assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected).sort(), `${path}: keys`)
    for (const [k, v] of Object.entries(expected))
      assertClose((actual as Record<string, unknown>)[k], v, tolerance, `${path}.${k}`)
    return
  }
  assert.deepEqual(actual, expected, path)
}
