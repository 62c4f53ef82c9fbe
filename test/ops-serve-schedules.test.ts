import assert from 'node:assert/strict'
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, it } from 'node:test'
import { type OpsScheduleConfig, resolveOpsSchedule } from '../src/ops/ops-jobs.js'
import { validateBackup } from '../src/ops/validate-backup.js'
import { cliArgs } from './support/cli-process.js'
import type { Json } from './support/http-server.js'
import { runCli } from './support/run-cli.js'
import { withTempDir } from './support/temp-store.js'

function serve(db: string, env: Record<string, string>, ...flags: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, cliArgs('serve', '--port', '0', '--db', db, '--json', ...flags), {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  })
}

async function firstLine(child: ChildProcessWithoutNullStreams): Promise<Json> {
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string]
  return JSON.parse(line)
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const [code] = (await exited) as [number | null]
  return code
}

const get = async (url: string): Promise<Json> => {
  const res = await fetch(url)
  const text = await res.text()
  return text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text
}

describe('serve: maintenance schedules', () => {
  it('should refuse schedules that make no sense, naming the field', () => {
    for (const [config, message] of [
      [{ retentionDays: 0 }, /days must be between 1 and 3650, got 0/],
      [{ retentionDays: 1.5 }, /days must be an integer/],
      [{ retentionAt: '7:00' }, /retentionAt must be HH:MM/],
      [{ backupIntervalHours: 0 }, /backupIntervalHours must be a number >= /],
      [{ keepBackups: 0 }, /keepBackups must be an integer >= 1/],
      [{ alertIntervalSeconds: 0.5 }, /alertIntervalSeconds must be a number >= 1/],
      [{ alertWebhookUrl: 'ftp://x' }, /webhook URL must use http or https/],
      [{ thresholds: { warningMb: 900, criticalMb: 800 } }, /warningMb must be below criticalMb/],
    ] as const) {
      assert.throws(() => resolveOpsSchedule(config as Partial<OpsScheduleConfig>), message)
    }
    assert.equal(resolveOpsSchedule({ retentionAt: '03:30' }).retentionAt, '03:30')
  })

  it('should run backups, pruning, alert checks and rollup maintenance on their intervals and show them', () =>
    withTempDir(async (dir) => {
      const child = serve(join(dir, 'served.duckdb'), {
        ORB_LEARNING_BACKUP_INTERVAL_HOURS: '0.0004', // 1.44 s
        ORB_LEARNING_ALERT_INTERVAL_SECONDS: '1',
        ORB_LEARNING_KEEP_BACKUPS: '2',
        ORB_LEARNING_KEEP_BACKUP_DAYS: '0',
      })
      let stderr = ''
      child.stderr.on('data', (d) => {
        stderr += String(d)
      })
      try {
        const { url, schedules } = await firstLine(child)
        assert.equal(schedules, true)
        let jobs: Json[] = []
        const deadline = Date.now() + 30_000
        const runs = (name: string) => jobs.find((j) => j.name === name)?.runs ?? 0
        while (Date.now() < deadline && (runs('backup') < 3 || runs('alerts') < 1 || runs('rollups') < 1)) {
          await new Promise((r) => setTimeout(r, 250))
          const body = await get(`${url}/v1/ops/schedules`)
          assert.equal(body.enabled, true)
          jobs = body.jobs
        }
        assert.deepEqual(
          jobs.map((j) => j.name),
          ['retention', 'backup', 'alerts', 'rollups'],
        )
        for (const name of ['backup', 'alerts', 'rollups']) {
          const job = jobs.find((j) => j.name === name)
          assert.ok(job.runs >= 1, `${name} ran`)
          assert.equal(job.failures, 0, `${name}: ${job.last_error}`)
          assert.equal(job.last_status, 'ok')
          assert.ok(Date.parse(job.last_success) > 0)
        }
        assert.equal(jobs.find((j) => j.name === 'retention').runs, 0)
        assert.match(jobs.find((j) => j.name === 'retention').next_run, /T/)
        const backups = await get(`${url}/v1/ops/backups`)
        assert.equal(backups.length, 2, 'pruned to the newest 2')
        assert.ok(backups.every((b: Json) => b.intact && b.file.startsWith(join(dir, 'backups'))))
        const metrics: string = await get(`${url}/metrics`)
        const lastSuccess = metrics.match(
          /orb_learning_ops_job_last_success_timestamp_seconds\{job="backup"\} (\S+)/,
        )
        assert.ok(lastSuccess && Number(lastSuccess[1]) > Date.now() / 1000 - 60, 'last success on /metrics')
        assert.match(metrics, /orb_learning_ops_job_failures\{job="alerts"\} 0/)
        assert.match(metrics, /orb_learning_ops_job_running\{job="retention"\} 0/)
      } finally {
        assert.equal(await stop(child), 0, stderr)
      }
      assert.doesNotMatch(stderr, /failed/)
    }))

  it('should let a running scheduled backup finish at SIGTERM: exit 0, one complete and valid backup', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'busy.duckdb')
      // Enough rows that the backup runs long enough to be caught running.
      const seeded = await runCli(['demo', '--rows', '10000', '--db', db])
      assert.equal(seeded.code, 0, seeded.stderr)
      const child = serve(db, { ORB_LEARNING_BACKUP_INTERVAL_HOURS: '0.0004' })
      let stderr = ''
      child.stderr.on('data', (d) => {
        stderr += String(d)
      })
      const { url } = await firstLine(child)
      let running = false
      for (const deadline = Date.now() + 30_000; !running && Date.now() < deadline; ) {
        const body = await get(`${url}/v1/ops/schedules`)
        running = body.jobs.find((j: Json) => j.name === 'backup')?.running === true
        if (!running) await new Promise((r) => setTimeout(r, 5))
      }
      assert.ok(running, 'caught the backup job running')
      assert.equal(await stop(child), 0, stderr)
      const files = readdirSync(join(dir, 'backups'))
      const backups = files.filter((f) => /^learning_db_backup_\d{8}_\d{6}.*\.duckdb$/.test(f))
      assert.equal(backups.length, 1, files.join(', '))
      assert.deepEqual(
        files.filter((f) => f.includes('.tmp') || f.includes('partial')),
        [],
        'no half-written file left',
      )
      const check = await validateBackup(join(dir, 'backups', backups[0]!))
      assert.equal(check.valid, true, check.problems.join('; '))
      assert.equal(check.record_count, 10_000)
    }))

  it('should run no jobs with --no-schedules and refuse a bad schedule before starting', () =>
    withTempDir(async (dir) => {
      const off = serve(
        join(dir, 'off.duckdb'),
        { ORB_LEARNING_BACKUP_INTERVAL_HOURS: '0.0004' },
        '--no-schedules',
      )
      const { url, schedules } = await firstLine(off)
      assert.equal(schedules, false)
      await new Promise((r) => setTimeout(r, 1600))
      assert.deepEqual(await get(`${url}/v1/ops/schedules`), { enabled: false, jobs: [] })
      assert.deepEqual(await get(`${url}/v1/ops/backups`), [])
      assert.equal(await stop(off), 0)

      for (const [name, value, message] of [
        ['ORB_LEARNING_RETENTION_AT', '25:00', /retentionAt must be HH:MM/],
        [
          'ORB_LEARNING_BACKUP_INTERVAL_HOURS',
          'daily',
          /ORB_LEARNING_BACKUP_INTERVAL_HOURS must be a non-negative number/,
        ],
      ] as const) {
        const bad = serve(join(dir, 'bad.duckdb'), { [name]: value })
        let stderr = ''
        bad.stderr.on('data', (d) => {
          stderr += String(d)
        })
        const [code] = (await once(bad, 'exit')) as [number | null]
        assert.notEqual(code, 0, name)
        assert.match(stderr, message)
      }
    }))
})
