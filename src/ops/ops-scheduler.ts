import type { Store } from '../store.js'
import { setActiveScheduler } from './active-schedulers.js'
import { createOpsJobs, type OpsScheduleConfig } from './ops-jobs.js'
import { type JobStatus, Scheduler, type SchedulerOptions } from './scheduler.js'

/** A started maintenance schedule. */
export interface RunningSchedule {
  readonly scheduler: Scheduler
  /** Stop ticking, let a running job reach its safe point, and forget the schedule. Safe to call twice. */
  stop(): Promise<void>
}

/**
 * Start the maintenance schedule of `serve` on a store: retention daily, backups (and pruning), alert checks and
 * rollup maintenance. Its job status shows in `/v1/ops/schedules`, in `checkAlerts` and on `/metrics`.
 * @example
 * const schedule = startOpsScheduler(store, { retentionAt: '03:30' })
 * await schedule.stop()
 */
export function startOpsScheduler(
  store: Store,
  config: Partial<OpsScheduleConfig> = {},
  options: SchedulerOptions & { onFailure?: (status: JobStatus) => void } = {},
): RunningSchedule {
  const { onFailure, ...schedulerOptions } = options
  const scheduler = new Scheduler(createOpsJobs(store, config), {
    ...schedulerOptions,
    onRun: (status) => {
      schedulerOptions.onRun?.(status)
      if (status.last_status === 'failed') onFailure?.(status)
    },
  })
  setActiveScheduler(store, scheduler)
  scheduler.start()
  let stopping: Promise<void> | undefined
  return {
    scheduler,
    stop() {
      stopping ??= scheduler.stop().finally(() => setActiveScheduler(store, undefined))
      return stopping
    },
  }
}
