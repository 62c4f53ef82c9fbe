import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createOpsJobs } from '../src/ops/ops-jobs.js'
import { type Clock, nextRun, Scheduler } from '../src/ops/scheduler.js'
import { withOpsStore } from './support/ops-store.js'

/** A clock the test moves by hand; `advance` fires the ticker like time passing would. */
class FakeClock implements Clock {
  #now: number
  #tickers = new Set<() => void>()
  constructor(start: string) {
    this.#now = new Date(start).getTime()
  }
  now(): Date {
    return new Date(this.#now)
  }
  setInterval(fn: () => void): unknown {
    this.#tickers.add(fn)
    return fn
  }
  clearInterval(handle: unknown): void {
    this.#tickers.delete(handle as () => void)
  }
  advance(ms: number): void {
    this.#now += ms
    for (const t of this.#tickers) t()
  }
}

const settle = () => new Promise((r) => setImmediate(r))

describe('scheduler', () => {
  it('should run interval jobs when due and never overlap a running job', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00')
    let release: () => void = () => undefined
    let runs = 0
    const scheduler = new Scheduler(
      [
        {
          name: 'slow',
          schedule: { everyMs: 60_000 },
          run: () => {
            runs++
            return new Promise<void>((r) => {
              release = r
            })
          },
        },
      ],
      { clock },
    )
    scheduler.start()
    clock.advance(59_000)
    assert.equal(runs, 0)
    clock.advance(1_000)
    assert.equal(runs, 1)
    clock.advance(120_000)
    clock.advance(60_000)
    assert.equal(runs, 1)
    assert.equal(scheduler.status()[0]?.skipped_overlaps, 2)
    release()
    await settle()
    assert.equal(scheduler.status()[0]?.last_status, 'ok')
    clock.advance(60_000)
    assert.equal(runs, 2)
    release()
    await scheduler.stop()
  })

  it('should retry a failing job with growing backoff and show the failure in its status', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00')
    const attempts: number[] = []
    let fail = true
    const scheduler = new Scheduler(
      [
        {
          name: 'flaky',
          schedule: { everyMs: 3_600_000 },
          run: async () => {
            attempts.push(clock.now().getTime())
            if (fail) throw new Error('disk full')
          },
        },
      ],
      { clock, retryBaseMs: 60_000 },
    )
    scheduler.start()
    clock.advance(3_600_000)
    await settle()
    assert.deepEqual(
      [
        scheduler.status()[0]?.last_status,
        scheduler.status()[0]?.last_error,
        scheduler.status()[0]?.failures,
      ],
      ['failed', 'disk full', 1],
    )
    clock.advance(60_000)
    await settle()
    assert.equal(attempts.length, 2)
    clock.advance(60_000)
    await settle()
    assert.equal(attempts.length, 2, 'second retry waits twice as long')
    fail = false
    clock.advance(60_000)
    await settle()
    assert.equal(attempts.length, 3)
    assert.deepEqual(
      [scheduler.status()[0]?.last_status, scheduler.status()[0]?.consecutive_failures],
      ['ok', 0],
    )
    await scheduler.stop()
  })

  it('should run daily jobs at the next local HH:MM', () => {
    const at = nextRun({ dailyAt: '02:00' }, new Date('2026-01-01T03:00:00').getTime())
    assert.equal(new Date(at).toString(), new Date('2026-01-02T02:00:00').toString())
    const before = nextRun({ dailyAt: '02:00' }, new Date('2026-01-01T01:59:00').getTime())
    assert.equal(new Date(before).toString(), new Date('2026-01-01T02:00:00').toString())
    assert.throws(
      () => new Scheduler([{ name: 'x', schedule: { dailyAt: '25:00' }, run: async () => 0 }]),
      /HH:MM/,
    )
    assert.throws(
      () => new Scheduler([{ name: 'x', schedule: { everyMs: 10 }, run: async () => 0 }]),
      />= 1000/,
    )
  })

  it('should wait at stop for a running job, which sees the abort signal', async () => {
    const clock = new FakeClock('2026-01-01T00:00:00')
    let sawAbort = false
    let finished = false
    const scheduler = new Scheduler(
      [
        {
          name: 'long',
          schedule: { everyMs: 1000 },
          run: async (signal) => {
            while (!signal.aborted) await new Promise((r) => setTimeout(r, 5))
            sawAbort = true
            await new Promise((r) => setTimeout(r, 20))
            finished = true
          },
        },
      ],
      { clock },
    )
    scheduler.start()
    clock.advance(1000)
    await scheduler.stop()
    assert.deepEqual([sawAbort, finished], [true, true])
  })

  it('should run the ops jobs of serve on a real store: backup and alerts', () =>
    withOpsStore(async (store) => {
      const clock = new FakeClock('2026-01-01T00:00:00')
      const reports: string[] = []
      const scheduler = new Scheduler(
        createOpsJobs(store, { backupIntervalHours: 1 }, (r) => reports.push(r.status)),
        { clock },
      )
      await scheduler.runNow('backup')
      await scheduler.runNow('alerts')
      await scheduler.runNow('retention')
      const byName = Object.fromEntries(scheduler.status().map((s) => [s.name, s]))
      assert.equal(byName.backup?.last_status, 'ok')
      assert.equal(byName.retention?.last_status, 'ok')
      assert.deepEqual(reports, ['ok'])
      await scheduler.stop()
    }))
})
