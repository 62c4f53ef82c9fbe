import type { Store } from '../store.js'
import { archiveExpired } from './archive-expired.js'
import { backupDatabase } from './backup-database.js'
import { pruneBackups } from './backup-retention.js'
import { type AlertReport, type AlertThresholds, checkAlerts } from './check-alerts.js'
import { deliverWebhook } from './deliver-webhook.js'
import { runMaintenanceHooks } from './maintenance-hooks.js'
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

/** The jobs of `serve`: retention daily, backups (+ pruning) every interval, alerts and rollup maintenance. */
export function createOpsJobs(
  store: Store,
  partial: Partial<OpsScheduleConfig> = {},
  onAlerts?: (report: AlertReport) => void,
): ScheduledJob[] {
  const config = { ...DEFAULT_OPS_SCHEDULE, ...partial }
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
      schedule: { everyMs: config.backupIntervalHours * 3_600_000 },
      run: async () => {
        await backupDatabase(store)
        await pruneBackups(store, { keepLast: config.keepBackups, keepDays: config.keepBackupDays })
      },
    },
    {
      name: 'alerts',
      schedule: { everyMs: config.alertIntervalSeconds * 1000 },
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
      schedule: { everyMs: config.alertIntervalSeconds * 1000 },
      run: () => runMaintenanceHooks(store),
    },
  ]
}
