import { invalidInput } from '../errors.js'
import type { Store } from '../store.js'
import { archiveExpired } from './archive-expired.js'
import { backupDatabase } from './backup-database.js'
import { pruneBackups } from './backup-retention.js'
import { type AlertReport, type AlertThresholds, checkAlerts, resolveThresholds } from './check-alerts.js'
import { checkWebhookUrl, deliverWebhook } from './deliver-webhook.js'
import { runMaintenanceHooks } from './maintenance-hooks.js'
import { checkRetentionDays } from './retention-input.js'
import type { ScheduledJob } from './scheduler.js'

export { registerMaintenanceHook } from './maintenance-hooks.js'

/** What the scheduler of `serve` runs, and how often. */
export interface OpsScheduleConfig {
  /** Retention window. Default 90. */
  retentionDays: number
  /** Daily retention time, local HH:MM. Default '02:00'. */
  retentionAt: string
  /** Hours between backups. Default 24. */
  backupIntervalHours: number
  /** Backups kept: newest N and all younger than D days. Defaults 7 and 30. */
  keepBackups: number
  keepBackupDays: number
  /** Seconds between alert checks (and rollup maintenance). Default 60. */
  alertIntervalSeconds: number
  /** Where alerts are POSTed as JSON when they change; none by default. */
  alertWebhookUrl: string | undefined
  thresholds: Partial<AlertThresholds>
}

/** The defaults of the schedule. */
export const DEFAULT_OPS_SCHEDULE: Readonly<OpsScheduleConfig> = Object.freeze({
  retentionDays: 90,
  retentionAt: '02:00',
  backupIntervalHours: 24,
  keepBackups: 7,
  keepBackupDays: 30,
  alertIntervalSeconds: 60,
  alertWebhookUrl: undefined,
  thresholds: {},
})

/** Merge a schedule over the defaults and check it: a bad value is refused at start, not at 02:00. */
export function resolveOpsSchedule(partial: Partial<OpsScheduleConfig> = {}): OpsScheduleConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined))
  const config: OpsScheduleConfig = { ...DEFAULT_OPS_SCHEDULE, ...defined }
  checkRetentionDays(config.retentionDays)
  if (typeof config.retentionAt !== 'string' || !/^([01]\d|2[0-3]):[0-5]\d$/.test(config.retentionAt))
    throw invalidInput(
      `retentionAt must be HH:MM (24 h, local time), got ${JSON.stringify(config.retentionAt)}`,
    )
  const positive = (name: string, value: number, min: number, integer = false) => {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < min ||
      (integer && !Number.isInteger(value))
    )
      throw invalidInput(
        `${name} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(value)}`,
      )
  }
  // Short intervals exist for tests and demos; a scheduler tick is one second.
  positive('backupIntervalHours', config.backupIntervalHours, 1 / 3600)
  positive('keepBackups', config.keepBackups, 1, true)
  positive('keepBackupDays', config.keepBackupDays, 0)
  positive('alertIntervalSeconds', config.alertIntervalSeconds, 1)
  if (config.alertWebhookUrl !== undefined) checkWebhookUrl(config.alertWebhookUrl)
  resolveThresholds({ backupIntervalHours: config.backupIntervalHours, ...config.thresholds })
  return config
}

/** The jobs of `serve`: retention daily, backups (+ pruning) every interval, alerts and rollup maintenance. */
export function createOpsJobs(
  store: Store,
  partial: Partial<OpsScheduleConfig> = {},
  onAlerts?: (report: AlertReport) => void,
): ScheduledJob[] {
  const config = resolveOpsSchedule(partial)
  let lastSent = ''
  return [
    {
      name: 'retention',
      schedule: { dailyAt: config.retentionAt },
      run: (signal) =>
        archiveExpired(store, {
          days: config.retentionDays,
          // Shutdown stops before the delete: the verified archive stays, the rows stay, the next run finishes.
          onProgress: (step) => {
            if (signal.aborted && step === 'verified') throw new Error('stopped at shutdown before deleting')
          },
        }),
    },
    {
      name: 'backup',
      schedule: { everyMs: Math.round(config.backupIntervalHours * 3_600_000) },
      run: async () => {
        await backupDatabase(store)
        await pruneBackups(store, { keepLast: config.keepBackups, keepDays: config.keepBackupDays })
      },
    },
    {
      name: 'alerts',
      schedule: { everyMs: Math.round(config.alertIntervalSeconds * 1000) },
      run: async () => {
        const report = await checkAlerts(store, {
          backupIntervalHours: config.backupIntervalHours,
          ...config.thresholds,
        })
        onAlerts?.(report)
        const key = JSON.stringify(report.alerts.map((a) => [a.name, a.severity]))
        if (config.alertWebhookUrl && key !== lastSent) {
          const result = await deliverWebhook(config.alertWebhookUrl, { source: 'orb-learning', ...report })
          if (!result.delivered)
            throw new Error(`alert webhook not delivered after ${result.attempts} attempts: ${result.error}`)
          lastSent = key
        }
      },
    },
    {
      name: 'rollups',
      schedule: { everyMs: Math.round(config.alertIntervalSeconds * 1000) },
      run: () => runMaintenanceHooks(store),
    },
  ]
}
