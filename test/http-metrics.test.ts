import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { backupDatabase } from '../src/ops/backup-database.js'
import { backupManifestPath } from '../src/ops/backup-manifest.js'
import { execution } from './support/executions.js'
import { postJson, withServer } from './support/http-server.js'
import { withTempDir } from './support/temp-store.js'

function sample(text: string, name: string): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name} `) || (l.startsWith(`${name}{`) && l.includes(name)))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

describe('http metrics', () => {
  it('should expose ingest counters, queue depth, commit latency, request durations and tier gauges', () =>
    withServer(async (url) => {
      await postJson(`${url}/v1/executions`, [
        execution({ model_tier: 'small', success: true, duration_seconds: 2 }),
        execution({ model_tier: 'small', success: false, duration_seconds: 4 }),
        execution({ model_tier: 'large', success: true, duration_seconds: 10 }),
        execution({ routing_confidence: -1 }),
      ])
      const res = await fetch(`${url}/metrics`)
      assert.equal(res.status, 200)
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/)
      const text = await res.text()
      assert.equal(sample(text, 'orb_learning_ingest_records_total{outcome="inserted"}'), 3)
      assert.equal(sample(text, 'orb_learning_ingest_records_total{outcome="rejected"}'), 1)
      assert.equal(sample(text, 'orb_learning_write_queue_depth'), 0)
      assert.equal(sample(text, 'orb_learning_commit_duration_seconds_count'), 1)
      assert.equal(sample(text, 'orb_learning_executions'), 3)
      assert.equal((sample(text, 'orb_learning_database_size_bytes') ?? 0) > 0, true)
      assert.equal(sample(text, 'orb_learning_tier_success_ratio_24h{model_tier="small"}'), 0.5)
      assert.equal(sample(text, 'orb_learning_tier_success_ratio_24h{model_tier="large"}'), 1)
      assert.equal(sample(text, 'orb_learning_tier_duration_p95_seconds_24h{model_tier="large"}'), 10)
      assert.match(
        text,
        /orb_learning_http_request_duration_seconds_count\{method="POST",route="\/v1\/executions",status="201"\} 1/,
      )
      assert.match(text, /orb_learning_process_resident_memory_bytes/)
    }))

  it('should report the age of the newest intact backup, and no sample at all without one', () =>
    withTempDir((dataDir) =>
      withServer(
        async (url, store) => {
          const scrape = async () => (await fetch(`${url}/metrics`)).text()
          const before = await scrape()
          assert.match(before, /# TYPE orb_learning_last_backup_age_seconds gauge/)
          assert.equal(sample(before, 'orb_learning_last_backup_age_seconds'), undefined, 'no backup: absent')
          assert.doesNotMatch(before, /NaN/)

          await postJson(`${url}/v1/executions`, [execution()])
          const older = await backupDatabase(store, { now: new Date('2026-01-01T00:00:00Z') })
          const newer = await backupDatabase(store, { now: new Date('2026-01-02T00:00:00Z') })
          const fresh = sample(await scrape(), 'orb_learning_last_backup_age_seconds')
          assert.ok(fresh !== undefined && fresh >= 0 && fresh < 60, `fresh backup age ${fresh}`)

          // Backdate the manifests: the newest is two hours old, the other a day.
          const backdate = (file: string, secondsAgo: number) => {
            const path = backupManifestPath(file)
            const manifest = JSON.parse(readFileSync(path, 'utf8'))
            manifest.created_at = new Date(Date.now() - secondsAgo * 1000).toISOString()
            writeFileSync(path, JSON.stringify(manifest))
          }
          backdate(older.file, 86_400)
          backdate(newer.file, 7200)
          const age = sample(await scrape(), 'orb_learning_last_backup_age_seconds')
          assert.ok(age !== undefined && Math.abs(age - 7200) < 60, `two-hour-old backup: ${age}`)

          // A damaged backup (size differs from its manifest) does not count: the older intact one does.
          writeFileSync(newer.file, 'truncated')
          const fallback = sample(await scrape(), 'orb_learning_last_backup_age_seconds')
          assert.ok(
            fallback !== undefined && Math.abs(fallback - 86_400) < 60,
            `older intact backup: ${fallback}`,
          )
        },
        { store: { dataDir } },
      ),
    ))
})
