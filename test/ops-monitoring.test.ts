import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { archiveExpired } from '../src/ops/archive-expired.js'
import { backupDatabase } from '../src/ops/backup-database.js'
import { checkAlerts } from '../src/ops/check-alerts.js'
import { deliverWebhook } from '../src/ops/deliver-webhook.js'
import { getRetentionStats } from '../src/ops/retention-stats.js'
import { checkStorageAlerts, getStorageStats } from '../src/ops/storage-stats.js'
import { execution } from './support/executions.js'
import { withOpsStore } from './support/ops-store.js'

describe('retention statistics', () => {
  it('should count executions in the review age buckets and list archives', () =>
    withOpsStore(async (store) => {
      await recordExecutions(store, [
        execution({ daysAgo: 1 }),
        execution({ daysAgo: 10 }),
        execution({ daysAgo: 40 }),
        execution({ daysAgo: 100 }),
        execution({ daysAgo: 200 }),
      ])
      let stats = await getRetentionStats(store)
      assert.deepEqual(
        stats.age_distribution.map((b) => [b.age_bucket, b.count]),
        [
          ['0-7 days', 1],
          ['7-30 days', 1],
          ['30-90 days', 1],
          ['90+ days (expired)', 2],
        ],
      )
      assert.equal(stats.total_records, 5)
      await archiveExpired(store, { days: 90 })
      stats = await getRetentionStats(store)
      assert.equal(stats.expired_records, 0)
      assert.equal(stats.archives.length, 1)
      assert.equal(stats.archives[0]?.rows, 2)
      assert.ok(stats.archive_bytes > 0)
    }))
})

describe('storage', () => {
  it('should report sizes, rows per table, growth and projection', () =>
    withOpsStore(async (store) => {
      await recordExecutions(
        store,
        Array.from({ length: 30 }, (_, i) => execution({ daysAgo: i })),
      )
      await store.withWriter((c) => c.run('CHECKPOINT'))
      const s = await getStorageStats(store, { retentionDays: 90 })
      assert.equal(s.row_count, 30)
      assert.equal(s.tables.executions, 30)
      assert.ok(s.file_size_bytes > 0 && s.bytes_per_row > 0)
      assert.equal(s.rows_per_day, 1)
      assert.ok(Math.abs(s.estimated_max_size_mb - (s.bytes_per_row * 90) / 1_048_576) < 0.02)
    }))

  it('should raise WARNING and CRITICAL by size and reject warning >= critical', () =>
    withOpsStore(async (store) => {
      await store.withWriter((c) => c.run('CHECKPOINT'))
      const size = (await getStorageStats(store)).database_size_mb
      assert.equal((await checkStorageAlerts(store)).status, 'OK')
      assert.equal(
        (await checkStorageAlerts(store, { warningMb: size / 2, criticalMb: size * 2 })).status,
        'WARNING',
      )
      const critical = await checkStorageAlerts(store, { warningMb: size / 4, criticalMb: size / 2 })
      assert.equal(critical.status, 'CRITICAL')
      assert.match(critical.alerts[0] ?? '', /exceeds critical threshold/)
      await assert.rejects(
        checkStorageAlerts(store, { warningMb: 900, criticalMb: 800 }),
        /warningMb must be below criticalMb/,
      )
      await assert.rejects(
        checkStorageAlerts(store, { warningMb: -1 }),
        /warningMb must be a positive number/,
      )
    }))
})

describe('alerts', () => {
  it('should fire success-rate, duration, cost-spike and backup alerts with metric, value and threshold', () =>
    withOpsStore(async (store) => {
      const today = Array.from({ length: 20 }, (_, i) =>
        execution({ success: i < 10, duration_seconds: 900, actual_cost: 1, daysAgo: 0 }),
      )
      const lastWeek = Array.from({ length: 7 }, (_, i) => execution({ actual_cost: 1, daysAgo: i + 2 }))
      await recordExecutions(store, [...today, ...lastWeek])
      const report = await checkAlerts(store)
      const byName = Object.fromEntries(report.alerts.map((a) => [a.name, a]))
      assert.equal(report.status, 'warning')
      assert.deepEqual(
        [byName.success_rate_low?.value, byName.success_rate_low?.threshold, byName.success_rate_low?.metric],
        [0.5, 0.8, 'success_rate_24h'],
      )
      assert.equal(byName.avg_duration_high?.value, 900)
      assert.equal(byName.p95_duration_high?.threshold, 600)
      assert.equal(byName.cost_spike?.value, 20)
      assert.match(byName.backup_stale?.message ?? '', /no intact backup/)
      assert.equal(byName.error_rate_spike?.name, 'error_rate_spike')
      await backupDatabase(store)
      const after = await checkAlerts(store, { minSuccessRate: 0.4 })
      assert.equal(
        after.alerts.find((a) => a.name === 'backup_stale'),
        undefined,
      )
      assert.equal(
        after.alerts.find((a) => a.name === 'success_rate_low'),
        undefined,
      )
      await assert.rejects(
        checkAlerts(store, { warningMb: 10, criticalMb: 5 }),
        /warningMb must be below criticalMb/,
      )
      await assert.rejects(
        checkAlerts(store, { minSuccessRate: 1.5 }),
        /minSuccessRate must be between 0 and 1/,
      )
    }))

  it('should deliver alerts to a webhook, retrying after failures', async () => {
    const received: unknown[] = []
    let calls = 0
    const server = createServer((req, res) => {
      calls++
      let body = ''
      req.on('data', (d) => {
        body += d
      })
      req.on('end', () => {
        if (calls < 3) {
          res.writeHead(503).end()
          return
        }
        received.push(JSON.parse(body))
        res.writeHead(204).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
    try {
      const result = await deliverWebhook(
        url,
        { status: 'warning', alerts: [{ name: 'x' }] },
        { backoffMs: 10 },
      )
      assert.deepEqual([result.delivered, result.attempts, result.status], [true, 3, 204])
      assert.deepEqual(received, [{ status: 'warning', alerts: [{ name: 'x' }] }])
      const failing = await deliverWebhook(url.replace('/hook', ''), {}, { attempts: 1, backoffMs: 1 })
      assert.equal(failing.delivered, true)
    } finally {
      server.close()
    }
    const refused = await deliverWebhook(url, {}, { attempts: 2, backoffMs: 1, timeoutMs: 500 })
    assert.deepEqual([refused.delivered, refused.attempts], [false, 2])
    await assert.rejects(deliverWebhook('file:///etc/passwd', {}), /must use http or https/)
  })
})
