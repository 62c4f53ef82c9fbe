import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { listQueries, runQuery } from '../src/analytics/query-registry.js'
import { openStore, type Store } from '../src/store.js'
import { assertClose, fixtureId, NOW, recordFixture } from './support/analytics-fixture.js'

const T = (iso: string) => `2026-${iso}:00.000Z`

// Hand-computed answers over the ten rows of test/support/analytics-fixture.ts (defaults: 24h, 7d or 30d back from NOW).
const EXPECTED: Record<string, { params?: Record<string, string>; rows: unknown[]; tolerance?: number }> = {
  execution_count_24h: { rows: [{ value: 3 }] },
  success_rate_24h: { rows: [{ value: 200 / 3 }] },
  avg_quality_24h: { rows: [{ value: 230 / 3 }] },
  total_cost_24h: { rows: [{ value: 0.83 }] },
  executions_over_time: {
    rows: ['03-05T12', '03-07T12', '03-09T06', '03-09T16', '03-10T09', '03-10T11'].map((t) => ({
      time: T(`${t}:00`),
      value: 1,
    })),
  },
  success_rate_over_time: {
    rows: [
      { time: T('03-05T00:00'), value: 100 },
      { time: T('03-07T00:00'), value: 0 },
      { time: T('03-09T00:00'), value: 100 },
      { time: T('03-10T00:00'), value: 50 },
    ],
  },
  success_by_model_tier: {
    rows: [
      { metric: 'large', value: 100 },
      { metric: 'small', value: 100 },
      { metric: 'medium', value: 0 },
    ],
  },
  duration_by_model_tier: {
    rows: [
      { metric: 'medium', value: 30 },
      { metric: 'large', value: 8 },
      { metric: 'small', value: 7 / 3 },
    ],
  },
  cost_by_model_tier: {
    rows: [
      { metric: 'medium', value: 0.41 },
      { metric: 'large', value: 0.4 },
      { metric: 'small', value: 0.278 },
    ],
  },
  pool_performance: {
    rows: [
      { metric: 'p1', executions: 4, success_rate: 50, avg_duration: 15.75, avg_cost: 0.1595 },
      { metric: 'p2', executions: 2, success_rate: 100, avg_duration: 6, avg_cost: 0.225 },
    ],
  },
  top_repos: {
    rows: [
      { metric: 'a', executions: 4, avg_quality: 70, avg_duration: 23, total_cost: 1.33 },
      { metric: 'b', executions: 3, avg_quality: 80, avg_duration: 13 / 3, total_cost: 0.558 },
      { metric: 'c', executions: 1, avg_quality: 40, avg_duration: 12, total_cost: 0.62 },
    ],
  },
  duration_percentiles: { rows: [{ p50: 6, p95: 35, p99: 39 }] },
  quality_distribution: {
    rows: [
      { metric: 'excellent', value: 2 },
      { metric: 'good', value: 1 },
      { metric: 'fair', value: 2 },
      { metric: 'poor', value: 2 },
    ],
  },
  task_type_distribution: {
    rows: [
      { metric: 't1', executions: 5, avg_duration: 12.6, avg_quality: 76.25 },
      { metric: 't2', executions: 3, avg_duration: 18, avg_quality: 185 / 3 },
    ],
  },
  top_errors: {
    rows: [
      { metric: 'crash', value: 1, last_occurrence: T('03-07T12:00') },
      { metric: 'timeout', value: 1, last_occurrence: T('03-10T09:00') },
    ],
  },
  database_growth: { rows: [{ value: 8 }] },
  avg_routing_confidence: { rows: [{ value: 75 }], tolerance: 1e-6 },
  executions_per_day: {
    rows: [
      ['02-18', 1, 0, 12, 40],
      ['02-28', 1, 1, 30, 60],
      ['03-05', 1, 1, 1, 90],
      ['03-07', 1, 0, 40, null],
      ['03-09', 2, 2, 6, 75],
      ['03-10', 2, 1, 11, 75],
    ].map(([d, executions, successful, avg_duration, avg_quality]) => ({
      time: T(`${d}T00:00`),
      executions,
      successful,
      avg_duration,
      avg_quality,
    })),
  },
  cost_trends: {
    rows: [
      ['02-18', 0.62, 0.4, -0.22],
      ['02-28', 0.8, 1, 0.2],
      ['03-05', 0.108, 0.1, -0.008],
      ['03-07', 0.1, 0.1, 0],
      ['03-09', 0.45, 0.5, 0.05],
      ['03-10', 0.43, 0.3, -0.13],
    ].map(([d, total_cost, total_estimate, savings]) => ({
      time: T(`${d}T00:00`),
      total_cost,
      total_estimate,
      savings,
    })),
  },
  hourly_summary: {
    rows: [
      { time: T('03-09T16:00'), executions: 1, success_rate: 100, avg_duration: 8, total_cost: 0.4 },
      { time: T('03-10T09:00'), executions: 1, success_rate: 0, avg_duration: 20, total_cost: 0.31 },
      { time: T('03-10T11:00'), executions: 1, success_rate: 100, avg_duration: 2, total_cost: 0.12 },
    ],
  },
  pool_utilization: {
    rows: [
      { time: T('03-05T00:00'), pool_type: 'p1', executions: 1, success_rate: 100, avg_duration: 1 },
      { time: T('03-07T00:00'), pool_type: 'p1', executions: 1, success_rate: 0, avg_duration: 40 },
      { time: T('03-09T00:00'), pool_type: 'p2', executions: 2, success_rate: 100, avg_duration: 6 },
      { time: T('03-10T00:00'), pool_type: 'p1', executions: 2, success_rate: 50, avg_duration: 11 },
    ],
  },
  live_executions: {
    params: { range: '1h' },
    rows: [
      {
        timestamp: T('03-10T11:00'),
        task_id: fixtureId(1),
        task_type: 't1',
        repo: 'a',
        model_tier: 'small',
        pool_type: 'p1',
        success: true,
        duration_seconds: 2,
        quality_score: 95,
        error_type: null,
      },
    ],
  },
  executions_today: { rows: [{ value: 2, successful: 1, success_rate: 50 }] },
  retention_age_buckets: {
    rows: [
      { metric: '0-7 days', value: 6 },
      { metric: '7-30 days', value: 2 },
      { metric: '30-90 days', value: 1 },
      { metric: '90+ days (expired)', value: 1 },
    ],
  },
  success_rate_by_tier: {
    rows: [
      { metric: 'large', executions: 1, successful: 1, success_rate: 100 },
      { metric: 'small', executions: 3, successful: 3, success_rate: 100 },
      { metric: 'medium', executions: 2, successful: 0, success_rate: 0 },
    ],
  },
  success_rate_by_pool: {
    rows: [
      { metric: 'p2', executions: 2, successful: 2, success_rate: 100 },
      { metric: 'p1', executions: 4, successful: 2, success_rate: 50 },
    ],
  },
  success_rate_by_repo: {
    rows: [
      { metric: 'b', executions: 3, successful: 3, success_rate: 100 },
      { metric: 'a', executions: 3, successful: 1, success_rate: 100 / 3 },
    ],
  },
  success_rate_by_task_type: {
    rows: [
      { metric: 't1', executions: 4, successful: 3, success_rate: 75 },
      { metric: 't2', executions: 2, successful: 1, success_rate: 50 },
    ],
  },
  duration_percentiles_by_tier: {
    rows: [
      { metric: 'medium', executions: 2, p50: 30, p95: 39, p99: 39.8 },
      { metric: 'large', executions: 1, p50: 8, p95: 8, p99: 8 },
      { metric: 'small', executions: 3, p50: 2, p95: 3.8, p99: 3.96 },
    ],
  },
  duration_percentiles_by_pool: {
    rows: [
      // p1: 1, 2, 20, 40; p2: 4, 8
      { metric: 'p1', executions: 4, p50: 11, p95: 37, p99: 39.4 },
      { metric: 'p2', executions: 2, p50: 6, p95: 7.8, p99: 7.96 },
    ],
  },
  duration_percentiles_by_task_type: {
    rows: [
      // t1: 1, 2, 8, 40; t2: 4, 20
      { metric: 't1', executions: 4, p50: 5, p95: 35.2, p99: 39.04 },
      { metric: 't2', executions: 2, p50: 12, p95: 19.2, p99: 19.84 },
    ],
  },
  duration_stats: { rows: [{ executions: 6, avg: 12.5, p50: 6, p95: 35, p99: 39 }] },
  quality_by_tier: {
    rows: [
      { metric: 'small', scored: 3, avg_quality: 85, excellent_pct: 200 / 3 },
      { metric: 'large', scored: 2, avg_quality: 70, excellent_pct: 0 },
      { metric: 'medium', scored: 2, avg_quality: 47.5, excellent_pct: 0 },
    ],
  },
  user_feedback_by_tier: {
    rows: [
      { metric: 'medium', executions: 3, decided: 1, acceptance_rate: 0, rated: 1, avg_rating: 2 },
      { metric: 'small', executions: 3, decided: 2, acceptance_rate: 100, rated: 2, avg_rating: 4.5 },
      { metric: 'large', executions: 2, decided: 0, acceptance_rate: null, rated: 0, avg_rating: null },
    ],
  },
  user_feedback: {
    rows: [{ executions: 8, decided: 3, acceptance_rate: 200 / 3, rated: 3, avg_rating: 11 / 3 }],
  },
  errors_by_tier: {
    rows: [
      { metric: 'medium', executions: 2, failures: 2, error_rate: 100, with_error_type: 2 },
      { metric: 'large', executions: 1, failures: 0, error_rate: 0, with_error_type: 0 },
      { metric: 'small', executions: 3, failures: 0, error_rate: 0, with_error_type: 0 },
    ],
  },
  error_rate_over_time: {
    rows: [
      { time: T('03-05T00:00'), executions: 1, failures: 0, error_rate: 0 },
      { time: T('03-07T00:00'), executions: 1, failures: 1, error_rate: 100 },
      { time: T('03-09T00:00'), executions: 2, failures: 0, error_rate: 0 },
      { time: T('03-10T00:00'), executions: 2, failures: 1, error_rate: 50 },
    ],
  },
  cost_efficiency_by_tier: {
    tolerance: 1e-5,
    rows: [
      {
        metric: 'large',
        executions: 2,
        total_estimate: 1.5,
        total_cost: 1.2,
        savings: 0.3,
        cost_ratio: 0.8,
        avg_cost_error_pct: 20,
      },
      {
        metric: 'medium',
        executions: 3,
        total_estimate: 0.7,
        total_cost: 1.03,
        savings: -0.33,
        cost_ratio: 1.03 / 0.7,
        avg_cost_error_pct: 110 / 3,
      },
      {
        metric: 'small',
        executions: 3,
        total_estimate: 0.2,
        total_cost: 0.278,
        savings: -0.078,
        cost_ratio: 1.39,
        avg_cost_error_pct: 14,
      },
    ],
  },
  task_type_tier_heatmap: {
    rows: [
      ['t1', 'large', 1, 100, 8],
      ['t1', 'medium', 2, 0, 26],
      ['t1', 'small', 2, 100, 1.5],
      ['t2', 'large', 1, 100, 30],
      ['t2', 'medium', 1, 0, 20],
      ['t2', 'small', 1, 100, 4],
    ].map(([task_type, model_tier, executions, success_rate, avg_duration]) => ({
      task_type,
      model_tier,
      executions,
      success_rate,
      avg_duration,
    })),
  },
  cost_error_distribution: {
    rows: [
      { metric: '< 5 %', value: 1 },
      { metric: '5-10 %', value: 1 },
      { metric: '10-25 %', value: 3 },
      { metric: '25-50 %', value: 0 },
      { metric: '>= 50 %', value: 2 },
      { metric: 'no estimate', value: 1 },
    ],
  },
  user_rating_distribution: {
    rows: [0, 1, 0, 1, 1].map((value, i) => ({ metric: String(i + 1), value })),
  },
  resource_percentiles: {
    rows: [
      { metric: 'peak_memory_mb', samples: 5, avg: 210, p50: 200, p95: 380, p99: 396 },
      { metric: 'cpu_time_seconds', samples: 5, avg: 3.7, p50: 3, p95: 8.8, p99: 9.76 },
    ],
  },
  memory_duration_correlation: {
    tolerance: 1e-9,
    rows: [
      { metric: 'all', samples: 6, correlation: 0.9184401134931499, seconds_per_mb: 0.08389041095890411 },
      { metric: 'large', samples: 2, correlation: 1, seconds_per_mb: 22 / 300 },
      { metric: 'medium', samples: 2, correlation: 1, seconds_per_mb: 0.2 },
      { metric: 'small', samples: 2, correlation: 1, seconds_per_mb: 0.02 },
    ],
  },
  complexity_distribution: {
    rows: [
      { metric: '0-19', executions: 2, success_rate: 100, avg_duration: 1.5 },
      { metric: '20-39', executions: 1, success_rate: 100, avg_duration: 4 },
      { metric: '40-59', executions: 2, success_rate: 0, avg_duration: 30 },
      { metric: '60-79', executions: 2, success_rate: 50, avg_duration: 21 },
      { metric: '80-100', executions: 1, success_rate: 100, avg_duration: 8 },
    ],
  },
  solution_patterns: {
    rows: [
      {
        solution_summary: 'S1',
        repo: 'a',
        task_types: ['t1', 't2'],
        usage_count: 5,
        success_count: 3,
        avg_quality: 73.75,
        first_seen: T('01-29T12:00'),
        last_seen: T('03-10T11:00'),
        success_rate: 0.6,
      },
    ],
  },
}

describe('named queries on a fixed dataset', () => {
  let dir: string
  let store: Store
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orb-learning-test-'))
    store = await openStore({ path: join(dir, 'learning.duckdb') })
    await recordFixture(store)
  })
  after(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`should answer ${name} with the hand-computed numbers, from rollups and from raw rows`, async () => {
      for (const useRollups of [true, false]) {
        const result = await runQuery(store, name, expected.params ?? {}, { now: NOW, useRollups })
        assertClose(result.rows, expected.rows, expected.tolerance ?? 1e-9, `${name} (rollups ${useRollups})`)
        assert.equal(result.name, name)
        if (!useRollups) assert.equal(result.source, 'raw')
      }
    })
  }

  it('should have a hand-computed expectation or its own test for every listed query', () => {
    const covered = new Set([
      ...Object.keys(EXPECTED),
      'cost_calibration',
      'tier_performance',
      'pool_performance_hourly',
    ])
    assert.deepEqual(
      listQueries()
        .map((q) => q.name)
        .filter((n) => !covered.has(n)),
      [],
    )
  })

  it('should read whole days from the rollups when the window spans them', async () => {
    const result = await runQuery(store, 'top_repos', {}, { now: NOW })
    assert.equal(result.source, 'rollup')
  })

  it('should group cost estimates into half-decade bands, an estimate on an edge in the band above it', async () => {
    const { rows } = await runQuery(store, 'cost_calibration', {}, { now: NOW })
    // The 30-day window holds 8 rows: estimates 0, 0.1 (three), 0.2, 0.4, 0.5 and 1.
    assertClose(rows, [
      { bin: 1, band: '< 0.0001', executions: 1, avg_estimate: 0, avg_actual: 0.05, ratio: null },
      { bin: 8, band: '0.1-0.3', executions: 4, avg_estimate: 0.125, avg_actual: 0.1595, ratio: 0.638 / 0.5 },
      { bin: 9, band: '0.3-1', executions: 2, avg_estimate: 0.45, avg_actual: 0.51, ratio: 1.02 / 0.9 },
      { bin: 10, band: '1-3', executions: 1, avg_estimate: 1, avg_actual: 0.8, ratio: 0.8 },
    ])
  })

  it("should give tier and pool performance in the review views' row shapes", async () => {
    const tiers = await runQuery(store, 'tier_performance', {}, { now: NOW })
    assert.equal(tiers.rows.length, 8)
    assertClose(tiers.rows.slice(0, 2), [
      {
        repo: 'a',
        model_tier: 'medium',
        task_type: 't2',
        date: T('03-10T00:00'),
        total_executions: 1,
        successful_count: 0,
        avg_duration: 20,
        avg_cost: 0.31,
        avg_quality: 55,
        p95_duration: 20,
      },
      {
        repo: 'a',
        model_tier: 'small',
        task_type: 't1',
        date: T('03-10T00:00'),
        total_executions: 1,
        successful_count: 1,
        avg_duration: 2,
        avg_cost: 0.12,
        avg_quality: 95,
        p95_duration: 2,
      },
    ])
    const pools = await runQuery(store, 'pool_performance_hourly', {}, { now: NOW })
    assert.equal(pools.rows.length, 6)
    assertClose(pools.rows[0], {
      pool_type: 'p1',
      repo: 'a',
      hour: T('03-10T11:00'),
      total_tasks: 1,
      successful_tasks: 1,
      avg_duration: 2,
      avg_cost: 0.12,
      success_rate: 1,
    })
  })

  it('should apply filters and buckets', async () => {
    const byTier = await runQuery(store, 'success_by_model_tier', { repo: 'a' }, { now: NOW })
    assertClose(byTier.rows, [
      { metric: 'small', value: 100 },
      { metric: 'medium', value: 0 },
    ])
    const small = await runQuery(store, 'execution_count_24h', { model_tier: 'small' }, { now: NOW })
    assertClose(small.rows, [{ value: 1 }])
    const weekly = await runQuery(
      store,
      'executions_over_time',
      { range: '30d', bucket: 'week' },
      { now: NOW },
    )
    assertClose(weekly.rows, [
      { time: T('02-16T00:00'), value: 1 },
      { time: T('02-23T00:00'), value: 1 },
      { time: T('03-02T00:00'), value: 2 },
      { time: T('03-09T00:00'), value: 4 },
    ])
    const none = await runQuery(store, 'top_repos', { repo: "a' OR '1'='1" }, { now: NOW })
    assert.deepEqual(none.rows, [])
  })
})
