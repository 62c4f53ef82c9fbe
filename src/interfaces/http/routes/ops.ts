import { z } from 'zod'
import { invalidInput } from '../../../errors.js'
import { activeJobStatuses } from '../../../ops/active-schedulers.js'
import { backupDatabase } from '../../../ops/backup-database.js'
import { BACKUP_FILE } from '../../../ops/backup-manifest.js'
import { listBackups } from '../../../ops/backup-retention.js'
import { checkAlerts } from '../../../ops/check-alerts.js'
import { listArchives } from '../../../ops/restore-archive.js'
import { getRetentionStats } from '../../../ops/retention-stats.js'
import { resolveInRoot } from '../../../ops/safe-path.js'
import { checkStorageAlerts, getStorageStats } from '../../../ops/storage-stats.js'
import { validateBackup } from '../../../ops/validate-backup.js'
import type { App, RouteContext } from '../context.js'
import { sendJson } from '../json.js'
import { registerScheduleMetrics } from '../ops-metrics.js'
import { describeIssues, parseQuery, readJsonBody } from '../request.js'

const number = (what: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'must be a non-negative number')
    .transform(Number)
    .optional()
    .describe(what)

const StorageAlertsQuery = z.strictObject({
  warning_mb: number('Warning size in MB (default 500)'),
  critical_mb: number('Critical size in MB (default 1000); must exceed warning_mb'),
})
const AlertsQuery = z.strictObject({
  min_success_rate: number('Lowest acceptable 24 h success rate, 0..1 (default 0.8)'),
  max_avg_duration_seconds: number('Highest acceptable 24 h average duration (default 300)'),
  max_p95_duration_seconds: number('Highest acceptable 24 h p95 duration (default 600)'),
  warning_mb: number('Database size warning, MB (default 500)'),
  critical_mb: number('Database size critical, MB (default 1000)'),
  max_queue_depth: number('Records waiting in the write queue (default 10000)'),
})
const ValidateBody = z.strictObject({
  file: z
    .string()
    .min(1)
    .max(4096)
    .describe('Backup file, relative to the data directory (e.g. backups/learning_db_backup_....duckdb)'),
})
const Json = z.record(z.string(), z.unknown())
const JsonList = z.array(Json)

/**
 * `/v1/ops/...` (admin scope when API keys are set): storage, alerts, retention statistics, archives, backups
 * (list, take, validate) and the maintenance schedule of `serve`.
 */
export function registerOpsRoutes(app: App, ctx: RouteContext): void {
  const { store } = ctx
  const doc = (
    method: 'get' | 'post',
    path: string,
    summary: string,
    extra: { query?: z.ZodObject; body?: z.ZodType; status?: number; list?: boolean } = {},
  ) =>
    ctx.openapi.add({
      method,
      path,
      summary,
      tags: ['ops'],
      ...(extra.query ? { query: extra.query } : {}),
      ...(extra.body ? { body: extra.body } : {}),
      responses: { [extra.status ?? 200]: { description: summary, schema: extra.list ? JsonList : Json } },
    })

  app.get('/v1/ops/storage', async (c) => sendJson(c, await getStorageStats(store)))
  doc('get', '/v1/ops/storage', 'Storage: file and WAL size, rows and bytes per table, growth and projection')

  app.get('/v1/ops/storage/alerts', async (c) => {
    const q = parseQuery(c, StorageAlertsQuery)
    return sendJson(
      c,
      await checkStorageAlerts(store, { warningMb: q.warning_mb, criticalMb: q.critical_mb }),
    )
  })
  doc('get', '/v1/ops/storage/alerts', 'Storage status OK / WARNING / CRITICAL against size thresholds', {
    query: StorageAlertsQuery,
  })

  app.get('/v1/ops/alerts', async (c) => {
    const q = parseQuery(c, AlertsQuery)
    const report = await checkAlerts(store, {
      minSuccessRate: q.min_success_rate,
      maxAvgDurationSeconds: q.max_avg_duration_seconds,
      maxP95DurationSeconds: q.max_p95_duration_seconds,
      warningMb: q.warning_mb,
      criticalMb: q.critical_mb,
      maxQueueDepth: q.max_queue_depth,
    })
    return sendJson(c, report)
  })
  doc('get', '/v1/ops/alerts', 'Health alerts, each with severity, metric, value and threshold', {
    query: AlertsQuery,
  })

  app.get('/v1/ops/retention', async (c) => sendJson(c, await getRetentionStats(store)))
  doc('get', '/v1/ops/retention', 'Executions by age bucket, and the archive files with their sizes')

  app.get('/v1/ops/archives', (c) => sendJson(c, listArchives(store)))
  doc('get', '/v1/ops/archives', 'Retention archives: complete, damaged and incomplete', { list: true })

  app.get('/v1/ops/backups', (c) => sendJson(c, listBackups(store)))
  doc('get', '/v1/ops/backups', 'Backups, newest first', { list: true })

  app.post('/v1/ops/backups', async (c) => sendJson(c, await backupDatabase(store), 201))
  doc('post', '/v1/ops/backups', 'Take an online, consistent backup now (writers keep writing)', {
    status: 201,
  })

  app.post('/v1/ops/backups/validate', async (c) => {
    const parsed = ValidateBody.safeParse(await readJsonBody(c), { reportInput: true })
    if (!parsed.success) throw invalidInput(describeIssues(parsed.error.issues))
    const file = resolveInRoot(store.config.dataDir, parsed.data.file, {
      field: 'file',
      livePath: store.path,
      pattern: BACKUP_FILE,
      patternName: 'a backup (learning_db_backup_YYYYMMDD_HHMMSS.duckdb)',
    })
    return sendJson(c, await validateBackup(file))
  })
  doc('post', '/v1/ops/backups/validate', 'Validate a backup in isolation against its manifest', {
    body: ValidateBody,
  })

  app.get('/v1/ops/schedules', (c) => {
    const jobs = activeJobStatuses(store)
    return sendJson(c, { enabled: jobs !== undefined, jobs: jobs ?? [] })
  })
  doc('get', '/v1/ops/schedules', 'The maintenance jobs of serve: last runs, failures, next run')

  registerScheduleMetrics(ctx.metrics.registry, store)
}
