import { errorMessage, invalidInput } from '../errors.js'

/** Time source and ticker of the scheduler: the real one by default, a fake one in tests. */
export interface Clock {
  now(): Date
  setInterval(fn: () => void, ms: number): unknown
  clearInterval(handle: unknown): void
}

/** The system clock. */
export const SYSTEM_CLOCK: Clock = {
  now: () => new Date(),
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms)
    h.unref()
    return h
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
}

/** When a job runs: every N ms, or daily at a local `HH:MM`. */
export type JobSchedule = { everyMs: number } | { dailyAt: string }

/** A scheduled job. `run` gets a signal that is aborted at shutdown (stop at the next safe point). */
export interface ScheduledJob {
  name: string
  schedule: JobSchedule
  run(signal: AbortSignal): Promise<unknown>
}

/** What the scheduler knows of a job: shown by status, alerts and /metrics. */
export interface JobStatus {
  name: string
  running: boolean
  runs: number
  failures: number
  consecutive_failures: number
  skipped_overlaps: number
  last_started: string | null
  last_finished: string | null
  last_status: 'ok' | 'failed' | null
  /** When the last successful run finished. */
  last_success: string | null
  last_error: string | null
  next_run: string
}

interface JobState {
  job: ScheduledJob
  status: JobStatus
  next: number
  running: Promise<void> | undefined
}

/** Options of the scheduler. */
export interface SchedulerOptions {
  clock?: Clock
  /** How often due jobs are looked for. Default 1,000 ms. */
  tickMs?: number
  /** First retry delay after a failure, doubled per consecutive failure (capped at the job's own interval). Default 60 s. */
  retryBaseMs?: number
  /** Told of every finished run. */
  onRun?: (status: JobStatus) => void
}

/**
 * Runs maintenance jobs on their schedules: a job never overlaps itself, a failure is retried with backoff and
 * kept in its status, `stop()` waits for running jobs (which see an aborted signal and stop at a safe point).
 */
export class Scheduler {
  readonly #clock: Clock
  readonly #options: SchedulerOptions
  readonly #jobs: JobState[]
  readonly #abort = new AbortController()
  #handle: unknown

  constructor(jobs: readonly ScheduledJob[], options: SchedulerOptions = {}) {
    this.#clock = options.clock ?? SYSTEM_CLOCK
    this.#options = options
    const now = this.#clock.now().getTime()
    this.#jobs = jobs.map((job) => {
      checkSchedule(job)
      const next = nextRun(job.schedule, now)
      return {
        job,
        next,
        running: undefined,
        status: {
          name: job.name,
          running: false,
          runs: 0,
          failures: 0,
          consecutive_failures: 0,
          skipped_overlaps: 0,
          last_started: null,
          last_finished: null,
          last_status: null,
          last_success: null,
          last_error: null,
          next_run: new Date(next).toISOString(),
        },
      }
    })
  }

  /** Start ticking. */
  start(): void {
    this.#handle ??= this.#clock.setInterval(() => this.tick(), this.#options.tickMs ?? 1000)
  }

  /** Start every job that is due now (called by the ticker; tests call it after moving the clock). */
  tick(): void {
    if (this.#abort.signal.aborted) return
    const now = this.#clock.now().getTime()
    for (const state of this.#jobs) {
      if (now < state.next) continue
      if (state.running) {
        state.status.skipped_overlaps++
        continue
      }
      state.running = this.#run(state)
    }
  }

  /** Run a job now (outside its schedule), unless it is running already. */
  runNow(name: string): Promise<void> {
    const state = this.#jobs.find((s) => s.job.name === name)
    if (!state) throw invalidInput(`no scheduled job named ${JSON.stringify(name)}`)
    state.running ??= this.#run(state)
    return state.running
  }

  /** A copy of every job's status. */
  status(): JobStatus[] {
    return this.#jobs.map((s) => ({ ...s.status }))
  }

  /** Stop ticking, signal running jobs, and wait for them to finish. */
  async stop(): Promise<void> {
    if (this.#handle !== undefined) this.#clock.clearInterval(this.#handle)
    this.#handle = undefined
    this.#abort.abort()
    await Promise.all(this.#jobs.map((s) => s.running))
  }

  async #run(state: JobState): Promise<void> {
    const s = state.status
    s.running = true
    s.last_started = this.#clock.now().toISOString()
    try {
      await state.job.run(this.#abort.signal)
      s.last_status = 'ok'
      s.last_success = this.#clock.now().toISOString()
      s.last_error = null
      s.consecutive_failures = 0
      state.next = nextRun(state.job.schedule, this.#clock.now().getTime())
    } catch (error) {
      s.last_status = 'failed'
      s.last_error = errorMessage(error)
      s.failures++
      s.consecutive_failures++
      const regular = nextRun(state.job.schedule, this.#clock.now().getTime())
      const retry =
        this.#clock.now().getTime() +
        (this.#options.retryBaseMs ?? 60_000) * 2 ** (s.consecutive_failures - 1)
      state.next = Math.min(regular, retry)
    } finally {
      s.runs++
      s.running = false
      s.last_finished = this.#clock.now().toISOString()
      s.next_run = new Date(state.next).toISOString()
      state.running = undefined
      this.#options.onRun?.({ ...s })
    }
  }
}

function checkSchedule(job: ScheduledJob): void {
  const s = job.schedule
  if ('everyMs' in s) {
    if (!Number.isInteger(s.everyMs) || s.everyMs < 1000) {
      throw invalidInput(`${job.name}: everyMs must be an integer >= 1000, got ${s.everyMs}`)
    }
  } else if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(s.dailyAt)) {
    throw invalidInput(
      `${job.name}: dailyAt must be HH:MM (24 h, local time), got ${JSON.stringify(s.dailyAt)}`,
    )
  }
}

/** The next run after `now`: interval jobs first run one interval after start, daily jobs at the next HH:MM. */
export function nextRun(schedule: JobSchedule, now: number): number {
  if ('everyMs' in schedule) return now + schedule.everyMs
  const [h, m] = schedule.dailyAt.split(':').map(Number) as [number, number]
  const at = new Date(now)
  at.setHours(h, m, 0, 0)
  if (at.getTime() <= now) at.setDate(at.getDate() + 1)
  return at.getTime()
}
