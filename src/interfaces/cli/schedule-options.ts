import { invalidInput } from '../../errors.js'
import type { OpsScheduleConfig } from '../../ops/ops-jobs.js'
import type { CliIo } from './command.js'

/** Flags of `serve` for its maintenance schedule. */
export const SCHEDULE_OPTIONS = {
  'no-schedules': { type: 'boolean', default: false },
} as const

/** Help lines of those flags and of the environment that configures the schedule. */
export const SCHEDULE_HELP =
  '  --no-schedules        run no maintenance jobs (retention, backups, alerts, rollups); e.g. when cron runs the CLI\n' +
  '  Schedule (env): ORB_LEARNING_RETENTION_DAYS (90), ORB_LEARNING_RETENTION_AT (02:00 local),\n' +
  '    ORB_LEARNING_BACKUP_INTERVAL_HOURS (24), ORB_LEARNING_KEEP_BACKUPS (7), ORB_LEARNING_KEEP_BACKUP_DAYS (30),\n' +
  '    ORB_LEARNING_ALERT_INTERVAL_SECONDS (60), ORB_LEARNING_ALERT_WEBHOOK_URL (none),\n' +
  '    ORB_LEARNING_SCHEDULE_RETRY_SECONDS (60: first retry after a failure, doubled per failure)\n'

const NUMBER = /^\d+(\.\d+)?$/

/** The schedule of `serve` from the environment (unset variables keep the defaults); bad values are refused. */
export function scheduleFromEnv(io: CliIo): { config: Partial<OpsScheduleConfig>; retryBaseMs: number } {
  const env = io.env
  const num = (name: string): number | undefined => {
    const text = env[name]
    if (text === undefined || text === '') return undefined
    if (!NUMBER.test(text.trim()))
      throw invalidInput(`${name} must be a non-negative number, got ${JSON.stringify(text)}`)
    return Number(text)
  }
  const retry = num('ORB_LEARNING_SCHEDULE_RETRY_SECONDS') ?? 60
  if (retry < 1) throw invalidInput(`ORB_LEARNING_SCHEDULE_RETRY_SECONDS must be >= 1, got ${retry}`)
  return {
    config: {
      retentionDays: num('ORB_LEARNING_RETENTION_DAYS'),
      retentionAt: env.ORB_LEARNING_RETENTION_AT || undefined,
      backupIntervalHours: num('ORB_LEARNING_BACKUP_INTERVAL_HOURS'),
      keepBackups: num('ORB_LEARNING_KEEP_BACKUPS'),
      keepBackupDays: num('ORB_LEARNING_KEEP_BACKUP_DAYS'),
      alertIntervalSeconds: num('ORB_LEARNING_ALERT_INTERVAL_SECONDS'),
      alertWebhookUrl: env.ORB_LEARNING_ALERT_WEBHOOK_URL || undefined,
    } as Partial<OpsScheduleConfig>,
    retryBaseMs: Math.round(retry * 1000),
  }
}
