import assert from 'node:assert/strict'
import { basename } from 'node:path'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { parseApiKeys } from '../src/interfaces/http/api-keys.js'
import { startServer } from '../src/interfaces/http/server.js'
import { setActiveScheduler } from '../src/ops/active-schedulers.js'
import { Scheduler } from '../src/ops/scheduler.js'
import { execution } from './support/executions.js'
import type { Json } from './support/http-server.js'
import { withOpsStore } from './support/ops-store.js'

const ADMIN = 'admin-key-0123456789abcdef'
const READ = 'read-key-0123456789abcdef'

describe('http api: /v1/ops', () => {
  it('should serve storage, alerts, retention, archives, backups and schedules to admins only', () =>
    withOpsStore(async (store) => {
      await recordExecutions(store, [execution({ daysAgo: 100 }), execution({ daysAgo: 10 }), execution()])
      const server = await startServer({
        store,
        port: 0,
        apiKeys: parseApiKeys(`admin:${ADMIN},read:${READ}`),
      })
      const call = async (method: string, path: string, body?: unknown, key = ADMIN) => {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        })
        const text = await res.text()
        return {
          status: res.status,
          body: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text) as Json,
        }
      }
      try {
        assert.equal((await fetch(`${server.url}/v1/ops/storage`)).status, 401)
        const denied = await call('GET', '/v1/ops/storage', undefined, READ)
        assert.equal(denied.status, 403)
        assert.equal(typeof denied.body.error.message, 'string')

        const storage = await call('GET', '/v1/ops/storage')
        assert.equal(storage.status, 200)
        assert.equal(storage.body.database_path, store.path)
        const sizeAlerts = await call('GET', '/v1/ops/storage/alerts?warning_mb=900&critical_mb=800')
        assert.equal(sizeAlerts.status, 400)
        assert.equal(sizeAlerts.body.error.code, 'invalid_input')
        assert.match(sizeAlerts.body.error.message, /warning.*below.*critical/i)
        assert.equal(
          (await call('GET', '/v1/ops/storage/alerts?warning_mb=0.0001&critical_mb=1000')).body.status,
          'WARNING',
        )

        const alerts = await call('GET', '/v1/ops/alerts')
        assert.equal(alerts.status, 200)
        assert.ok(alerts.body.alerts.some((a: Json) => a.name === 'backup_stale'))
        assert.equal((await call('GET', '/v1/ops/alerts?min_success_rate=abc')).status, 400)
        assert.equal((await call('GET', '/v1/ops/alerts?bogus=1')).status, 400)

        const retention = await call('GET', '/v1/ops/retention')
        assert.equal(retention.body.total_records, 3)
        assert.equal(retention.body.expired_records, 1)
        assert.deepEqual((await call('GET', '/v1/ops/archives')).body, [])

        const created = await call('POST', '/v1/ops/backups')
        assert.equal(created.status, 201)
        assert.equal(created.body.record_count, 3)
        const listed = await call('GET', '/v1/ops/backups')
        assert.deepEqual(
          listed.body.map((b: Json) => [basename(b.file), b.intact]),
          [[basename(created.body.file), true]],
        )
        const valid = await call('POST', '/v1/ops/backups/validate', {
          file: `backups/${basename(created.body.file)}`,
        })
        assert.equal(valid.status, 200)
        assert.equal(valid.body.valid, true, JSON.stringify(valid.body.problems))
        assert.equal(valid.body.record_count, 3)
        for (const [file, pattern] of [
          ['../etc/passwd', /'\.\.'/],
          ['learning.duckdb', /live database|backup/],
          ['backups/notes.txt', /learning_db_backup_/],
        ] as const) {
          const bad = await call('POST', '/v1/ops/backups/validate', { file })
          assert.equal(bad.status, 400, file)
          assert.match(bad.body.error.message, pattern)
          assert.ok('details' in bad.body.error)
        }
        assert.equal((await call('POST', '/v1/ops/backups/validate', { path: 'x' })).status, 400)
        assert.equal((await call('POST', '/v1/ops/backups', undefined, READ)).status, 403)

        assert.deepEqual((await call('GET', '/v1/ops/schedules')).body, { enabled: false, jobs: [] })
        const scheduler = new Scheduler(
          [
            {
              name: 'boom',
              schedule: { everyMs: 60_000 },
              run: () => Promise.reject(new Error('disk full')),
            },
          ],
          { retryBaseMs: 60_000 },
        )
        setActiveScheduler(store, scheduler)
        try {
          await scheduler.runNow('boom')
          const schedules = await call('GET', '/v1/ops/schedules')
          assert.equal(schedules.body.enabled, true)
          assert.equal(schedules.body.jobs[0].last_error, 'disk full')
          assert.equal(schedules.body.jobs[0].consecutive_failures, 1)
          const failing = (await call('GET', '/v1/ops/alerts')).body.alerts.find(
            (a: Json) => a.name === 'scheduled_job_failing',
          )
          assert.match(failing.message, /boom failed 1 time.*disk full/)
          const metrics = await call('GET', '/metrics')
          assert.match(metrics.body, /orb_learning_ops_job_failures\{job="boom"\} 1/)
          assert.match(metrics.body, /orb_learning_ops_job_running\{job="boom"\} 0/)
          assert.match(metrics.body, /orb_learning_ops_job_last_success_timestamp_seconds\{job="boom"\} 0/)
        } finally {
          await scheduler.stop()
          setActiveScheduler(store, undefined)
        }
        const doc = (await call('GET', '/v1/openapi.json')).body
        assert.ok(doc.paths['/v1/ops/backups/validate'].post.requestBody)
      } finally {
        await server.close()
      }
    }))
})
