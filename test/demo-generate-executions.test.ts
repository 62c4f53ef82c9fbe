import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { generateDemoExecutions } from '../src/demo/generate-executions.js'
import { validateExecution } from '../src/record.js'

const now = new Date('2026-06-01T12:00:00Z')
const records = generateDemoExecutions(6000, { seed: 7, now })

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length
}

describe('generateDemoExecutions', () => {
  it('should be deterministic for a seed and differ for another seed', () => {
    const again = generateDemoExecutions(records.length, { seed: 7, now })
    assert.deepEqual(again, records)
    const other = generateDemoExecutions(50, { seed: 8, now })
    assert.notEqual(other[0]!.task_id, again[0]!.task_id)
  })

  it('should produce only valid records marked as demo data with unique ids', () => {
    for (const [i, record] of records.entries()) {
      const v = validateExecution(record, now)
      assert.ok(v.ok, `record ${i}: ${v.ok ? '' : v.error}`)
      assert.equal(record.metadata.demo, true)
    }
    assert.equal(new Set(records.map((r) => r.task_id)).size, records.length)
  })

  it('should cover 6+ task types, 3 tiers, 3 pools, 10 repos and 90 days in time order', () => {
    const distinct = (key: keyof (typeof records)[number]) => new Set(records.map((r) => r[key])).size
    assert.ok(distinct('task_type') >= 6)
    assert.equal(distinct('model_tier'), 3)
    assert.equal(distinct('pool_type'), 3)
    assert.equal(distinct('repo'), 10)
    const times = records.map((r) => r.timestamp.getTime())
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!))
    assert.ok(now.getTime() - times[0]! > 89 * 86_400_000)
    assert.ok(times.at(-1)! < now.getTime())
  })

  it('should correlate tier with complexity, cost and duration, and give failures an error type', () => {
    const byTier = (tier: string) => records.filter((r) => r.model_tier === tier)
    const [small, medium, large] = ['small', 'medium', 'large'].map(byTier) as [
      typeof records,
      typeof records,
      typeof records,
    ]
    const cx = (rs: typeof records) => mean(rs.map((r) => r.complexity_score))
    const cost = (rs: typeof records) => mean(rs.map((r) => r.actual_cost))
    const duration = (rs: typeof records) =>
      mean(rs.filter((r) => r.error_type !== 'timeout').map((r) => r.duration_seconds))
    assert.ok(cx(small) < cx(medium) && cx(medium) < cx(large))
    assert.ok(cost(small) < cost(medium) && cost(medium) < cost(large))
    assert.ok(duration(small) < duration(medium) && duration(medium) < duration(large))
    const hard = records.filter((r) => r.complexity_score >= 60)
    const rate = (rs: typeof records) => mean(rs.map((r) => (r.success ? 1 : 0)))
    assert.ok(
      rate(hard.filter((r) => r.model_tier === 'small')) < rate(hard.filter((r) => r.model_tier === 'large')),
    )
    for (const r of records) assert.equal(r.success, r.error_type === null)
    const solutions = records.map((r) => r.solution_summary).filter((s) => s)
    assert.ok(new Set(solutions).size < solutions.length / 20, 'solutions are reused')
    assert.ok(records.some((r) => r.user_rating !== null))
  })
})
