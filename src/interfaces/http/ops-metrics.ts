import { Gauge, type Registry } from 'prom-client'
import { activeJobStatuses } from '../../ops/active-schedulers.js'
import type { JobStatus } from '../../ops/scheduler.js'
import type { Store } from '../../store.js'

const seconds = (iso: string | null): number => (iso === null ? 0 : Date.parse(iso) / 1000)

const GAUGES: readonly [name: string, help: string, value: (job: JobStatus) => number][] = [
  ['orb_learning_ops_job_running', '1 while the scheduled job runs', (j) => (j.running ? 1 : 0)],
  ['orb_learning_ops_job_runs', 'Finished runs of the scheduled job since the server started', (j) => j.runs],
  [
    'orb_learning_ops_job_failures',
    'Failed runs of the scheduled job since the server started',
    (j) => j.failures,
  ],
  [
    'orb_learning_ops_job_consecutive_failures',
    'Failed runs of the scheduled job since its last success (0 when healthy)',
    (j) => j.consecutive_failures,
  ],
  [
    'orb_learning_ops_job_last_run_timestamp_seconds',
    'Unix time the last run of the scheduled job finished (0 = never)',
    (j) => seconds(j.last_finished),
  ],
  [
    'orb_learning_ops_job_last_success_timestamp_seconds',
    'Unix time the last successful run of the scheduled job finished (0 = never)',
    (j) => seconds(j.last_success),
  ],
]

/** The scheduler of `serve` on /metrics, one series per job (none when schedules are off). */
export function registerScheduleMetrics(registry: Registry, store: Store): void {
  for (const [name, help, value] of GAUGES) {
    if (registry.getSingleMetric(name)) continue
    new Gauge({
      name,
      help,
      labelNames: ['job'],
      registers: [registry],
      collect() {
        this.reset()
        for (const job of activeJobStatuses(store) ?? []) this.set({ job: job.name }, value(job))
      },
    })
  }
}
