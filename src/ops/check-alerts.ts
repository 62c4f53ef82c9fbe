import { queryRows } from '../db/query-rows.js'
import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { activeJobStatuses } from './active-schedulers.js'
import { listBackups } from './backup-retention.js'
import { getStorageStats } from './storage-stats.js'

/** Thresholds of `checkAlerts`; every field has a default. */
export interface AlertThresholds {
  /** Lowest acceptable success rate over 24 h (0..1). Default 0.8. */
  minSuccessRate: number
  /** Executions needed in 24 h before rates are judged. Default 10. */
  minSamples: number
  /** Highest acceptable average duration over 24 h, seconds. Default 300. */
  maxAvgDurationSeconds: number
  /** Highest acceptable p95 duration over 24 h, seconds. Default 600. */
  maxP95DurationSeconds: number
  /** Database size warning / critical, MB. Defaults 500 / 1000. */
  warningMb: number
  criticalMb: number
  /** Records waiting in the write queue. Default 10,000. */
  maxQueueDepth: number
  /** Expected hours between backups; an alert fires after twice that. Default 24. */
  backupIntervalHours: number
  /** 24 h cost at or above this multiple of the 7-day daily average. Default 2. */
  costSpikeFactor: number
  /** Last-hour error rate at or above this multiple of the error rate of the 7 days before (and 10 points above it). Default 2. */
  errorSpikeFactor: number
}

/** The defaults of every alert threshold. */
export const DEFAULT_ALERT_THRESHOLDS: Readonly<AlertThresholds> = Object.freeze({
  minSuccessRate: 0.8,
  minSamples: 10,
  maxAvgDurationSeconds: 300,
  maxP95DurationSeconds: 600,
  warningMb: 500,
  criticalMb: 1000,
  maxQueueDepth: 10_000,
  backupIntervalHours: 24,
  costSpikeFactor: 2,
  errorSpikeFactor: 2,
})

/** One firing alert. */
export interface Alert {
  name: string
  severity: 'warning' | 'critical'
  metric: string
  value: number | null
  threshold: number
  message: string
}

/** The result of `checkAlerts`. */
export interface AlertReport {
  status: 'ok' | 'warning' | 'critical'
  checked_at: string
  alerts: Alert[]
}

/** Merge and check thresholds: numbers in range, warning below critical. */
export function resolveThresholds(partial: Partial<AlertThresholds> = {}): AlertThresholds {
  const t = {
    ...DEFAULT_ALERT_THRESHOLDS,
    ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)),
  }
  for (const [key, value] of Object.entries(t)) {
    if (!(key in DEFAULT_ALERT_THRESHOLDS))
      throw invalidInput(`unknown alert threshold ${JSON.stringify(key)}`)
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalidInput(`${key} must be a non-negative number, got ${JSON.stringify(value)}`)
    }
  }
  if (t.minSuccessRate > 1)
    throw invalidInput(`minSuccessRate must be between 0 and 1, got ${t.minSuccessRate}`)
  if (t.warningMb >= t.criticalMb) {
    throw invalidInput(
      `warningMb must be below criticalMb, got warningMb ${t.warningMb} >= criticalMb ${t.criticalMb}`,
    )
  }
  if (t.maxAvgDurationSeconds > t.maxP95DurationSeconds) {
    throw invalidInput(
      `maxAvgDurationSeconds must not exceed maxP95DurationSeconds, got ${t.maxAvgDurationSeconds} > ${t.maxP95DurationSeconds}`,
    )
  }
  return t
}

/**
 * Check the health of the store: 24 h success rate, average and p95 duration, database size, write-queue backlog,
 * age of the last intact backup, cost spike, error-rate spike, and failing scheduled jobs of `serve`. Each alert names metric, value and threshold.
 */
export async function checkAlerts(
  store: Store,
  thresholds: Partial<AlertThresholds> = {},
  options: { now?: Date; backupDir?: string } = {},
): Promise<AlertReport> {
  const t = resolveThresholds(thresholds)
  const now = options.now ?? new Date()
  const alerts: Alert[] = []
  const add = (
    name: string,
    severity: Alert['severity'],
    metric: string,
    value: number | null,
    threshold: number,
    message: string,
  ) => alerts.push({ name, severity, metric, value, threshold, message })
  const m = await store.read(async (conn) => {
    const [row] = await queryRows<Record<string, number | null>>(
      conn,
      `SELECT
         count(*) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 1 DAY) AS n24,
         avg(success::INT) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 1 DAY) AS success24,
         avg(duration_seconds) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 1 DAY) AS avg24,
         quantile_cont(duration_seconds, 0.95) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 1 DAY) AS p95_24,
         sum(actual_cost) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 1 DAY) AS cost24,
         sum(actual_cost) FILTER (WHERE timestamp < $now::TIMESTAMP - INTERVAL 1 DAY AND timestamp >= $now::TIMESTAMP - INTERVAL 8 DAY) / 7 AS cost_daily7,
         count(*) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 1 HOUR) AS n1h,
         avg((NOT success)::INT) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 1 HOUR) AS err1h,
         avg((NOT success)::INT) FILTER (WHERE timestamp >= $now::TIMESTAMP - INTERVAL 7 DAY AND timestamp < $now::TIMESTAMP - INTERVAL 1 HOUR) AS err7d
       FROM executions WHERE timestamp >= $now::TIMESTAMP - INTERVAL 8 DAY`,
      { now: now.toISOString().replace('Z', '') },
    )
    return row ?? {}
  })
  const n24 = m.n24 ?? 0
  if (
    n24 >= t.minSamples &&
    m.success24 !== null &&
    m.success24 !== undefined &&
    m.success24 < t.minSuccessRate
  ) {
    add(
      'success_rate_low',
      m.success24 < t.minSuccessRate / 2 ? 'critical' : 'warning',
      'success_rate_24h',
      round(m.success24),
      t.minSuccessRate,
      `success rate over 24 h is ${pct(m.success24)}, below ${pct(t.minSuccessRate)} (${n24} executions)`,
    )
  }
  if (n24 >= t.minSamples && (m.avg24 ?? 0) > t.maxAvgDurationSeconds) {
    add(
      'avg_duration_high',
      'warning',
      'avg_duration_seconds_24h',
      round(m.avg24!),
      t.maxAvgDurationSeconds,
      `average duration over 24 h is ${round(m.avg24!)} s, above ${t.maxAvgDurationSeconds} s`,
    )
  }
  if (n24 >= t.minSamples && (m.p95_24 ?? 0) > t.maxP95DurationSeconds) {
    add(
      'p95_duration_high',
      'warning',
      'p95_duration_seconds_24h',
      round(m.p95_24!),
      t.maxP95DurationSeconds,
      `p95 duration over 24 h is ${round(m.p95_24!)} s, above ${t.maxP95DurationSeconds} s`,
    )
  }
  const size = (await getStorageStats(store)).database_size_mb
  if (size >= t.warningMb) {
    const critical = size >= t.criticalMb
    add(
      'database_size',
      critical ? 'critical' : 'warning',
      'database_size_mb',
      size,
      critical ? t.criticalMb : t.warningMb,
      `database size is ${size} MB, above the ${critical ? 'critical' : 'warning'} threshold of ${critical ? t.criticalMb : t.warningMb} MB`,
    )
  }
  if (store.queueDepth > t.maxQueueDepth) {
    add(
      'write_queue_backlog',
      'warning',
      'queue_depth',
      store.queueDepth,
      t.maxQueueDepth,
      `${store.queueDepth} records wait in the write queue, more than ${t.maxQueueDepth}`,
    )
  }
  if (t.backupIntervalHours > 0) {
    const last = listBackups(store, { dir: options.backupDir }).find((b) => b.intact && b.created_at)
    const ageHours = last ? (now.getTime() - Date.parse(last.created_at!)) / 3_600_000 : null
    if (ageHours === null || ageHours > 2 * t.backupIntervalHours) {
      add(
        'backup_stale',
        'warning',
        'hours_since_last_backup',
        ageHours === null ? null : round(ageHours),
        2 * t.backupIntervalHours,
        ageHours === null
          ? 'no intact backup exists'
          : `the last intact backup is ${round(ageHours)} h old, more than ${2 * t.backupIntervalHours} h`,
      )
    }
  }
  const daily = m.cost_daily7 ?? 0
  if (daily > 0 && (m.cost24 ?? 0) >= t.costSpikeFactor * daily) {
    add(
      'cost_spike',
      'warning',
      'cost_24h',
      round(m.cost24!),
      round(t.costSpikeFactor * daily),
      `cost over 24 h is ${round(m.cost24!)}, at least ${t.costSpikeFactor}x the 7-day daily average ${round(daily)}`,
    )
  }
  const base = m.err7d ?? 0
  // A spike is both relative (factor x the week before) and absolute (10 points more), so 0 % -> 1 % is not one.
  const err1h = m.err1h ?? 0
  if ((m.n1h ?? 0) >= t.minSamples && err1h >= t.errorSpikeFactor * base && err1h - base >= 0.1) {
    add(
      'error_rate_spike',
      'warning',
      'error_rate_1h',
      round(m.err1h!),
      round(t.errorSpikeFactor * base),
      `error rate in the last hour is ${pct(m.err1h!)}, at least ${t.errorSpikeFactor}x the 7-day rate ${pct(base)}`,
    )
  }
  for (const job of activeJobStatuses(store) ?? []) {
    if (job.consecutive_failures === 0) continue
    add(
      'scheduled_job_failing',
      job.consecutive_failures >= 3 ? 'critical' : 'warning',
      `consecutive_failures{job="${job.name}"}`,
      job.consecutive_failures,
      0,
      `scheduled job ${job.name} failed ${job.consecutive_failures} time(s) in a row (next try ${job.next_run}): ${job.last_error}`,
    )
  }
  const status = alerts.some((a) => a.severity === 'critical')
    ? 'critical'
    : alerts.length > 0
      ? 'warning'
      : 'ok'
  return { status, checked_at: now.toISOString(), alerts }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000
}

function pct(n: number): string {
  return `${(n * 100).toFixed(1)} %`
}
