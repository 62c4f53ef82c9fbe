import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { backupDatabase } from '../src/ops/backup-database.js'
import { backupManifestPath } from '../src/ops/backup-manifest.js'
import { listBackups, pruneBackups } from '../src/ops/backup-retention.js'
import { restoreFromBackup } from '../src/ops/restore-from-backup.js'
import { validateBackup } from '../src/ops/validate-backup.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'
import { countRows, withOpsStore } from './support/ops-store.js'
import { withTempDir } from './support/temp-store.js'

describe('backups', () => {
  it('should write a named backup with a manifest that validates', () =>
    withOpsStore(async (store) => {
      await recordExecutions(store, [execution(), execution(), execution({ daysAgo: 3 })])
      const report = await backupDatabase(store, { now: new Date('2026-03-04T05:06:07Z') })
      assert.match(report.file, /backups\/learning_db_backup_20260304_050607\.duckdb$/)
      assert.equal(report.record_count, 3)
      const manifest = JSON.parse(readFileSync(backupManifestPath(report.file), 'utf8'))
      assert.equal(manifest.schema_version, 5)
      assert.equal(manifest.tables.executions.rows, 3)
      assert.match(manifest.sha256, /^[0-9a-f]{64}$/)
      assert.equal(manifest.embedder_id, store.embedder.id)
      const check = await validateBackup(report.file)
      assert.deepEqual([check.valid, check.record_count, check.problems], [true, 3, []])
      const again = await backupDatabase(store, { now: new Date('2026-03-04T05:06:07Z') })
      assert.match(again.file, /_050607_2\.duckdb$/)
    }))

  it('should keep the file still while writes go on into the WAL, then checkpoint as before', () =>
    withOpsStore(async (store) => {
      await recordExecutions(store, [execution()])
      const threshold = () =>
        store.read((c) => queryRows<{ t: string }>(c, "SELECT current_setting('checkpoint_threshold') AS t"))
      const configured = await threshold()
      const digest = () => createHash('sha256').update(readFileSync(store.path)).digest('hex')
      await store.holdCheckpoints(async () => {
        const before = digest()
        const batch = Array.from({ length: 50 }, () => execution())
        assert.equal((await recordExecutions(store, batch)).inserted, 50)
        assert.equal(await store.checkpoint(), false, 'no checkpoint while the file is held')
        assert.notDeepEqual(await threshold(), configured)
        assert.equal(digest(), before, 'committed rows went to the WAL only')
      })
      assert.deepEqual(await threshold(), configured)
      const before = digest()
      assert.equal(await store.checkpoint(), true)
      assert.notEqual(digest(), before)
      assert.equal(await countRows(store, 'executions'), 51)
    }))

  it('should back up a consistent snapshot while a writer keeps writing', () =>
    withOpsStore(async (store) => {
      await recordExecutions(
        store,
        Array.from({ length: 200 }, () => execution()),
      )
      let writing = true
      let acknowledged = 200
      const writer = (async () => {
        while (writing) acknowledged += (await recordExecutions(store, [execution(), execution()])).inserted
      })()
      const report = await backupDatabase(store)
      writing = false
      await writer
      const check = await validateBackup(report.file)
      assert.deepEqual([check.valid, check.problems], [true, []])
      assert.ok(report.record_count >= 200 && report.record_count <= acknowledged)
      assert.equal(await countRows(store, 'executions'), acknowledged)
    }))

  it('should write a compact backup that holds only the live rows', () =>
    withOpsStore(async (store) => {
      const rows = Array.from({ length: 3000 }, (_, i) => execution({ daysAgo: i % 2 === 0 ? 1 : 200 }))
      await recordExecutions(store, rows)
      await store.checkpoint()
      await store.withWriter((c) =>
        c.run('DELETE FROM executions WHERE timestamp < now()::TIMESTAMP - INTERVAL 100 DAY'),
      )
      await store.checkpoint()
      const copy = await backupDatabase(store)
      const compact = await backupDatabase(store, { compact: true })
      assert.equal(copy.record_count, 1500)
      assert.equal(compact.record_count, 1500)
      assert.deepEqual(compact.tables.executions, copy.tables.executions)
      assert.ok(compact.bytes < copy.bytes * 0.8, `${compact.bytes} vs ${copy.bytes}`)
      for (const b of [copy, compact]) assert.equal((await validateBackup(b.file)).valid, true)
    }))

  it('should reject a truncated backup, a wrong checksum and a missing table', () =>
    withOpsStore(async (store, dir) => {
      await recordExecutions(store, [execution()])
      const good = (await backupDatabase(store, { now: new Date('2026-01-01T00:00:00Z') })).file
      const copy = (suffix: string) => {
        const f = join(dir, 'backups', `learning_db_backup_20260101_00000${suffix}.duckdb`)
        copyFileSync(good, f)
        copyFileSync(backupManifestPath(good), backupManifestPath(f))
        return f
      }
      const truncated = copy('1')
      truncateSync(truncated, 4096)
      assert.match((await validateBackup(truncated)).problems.join(), /bytes, manifest says/)
      const wrongSum = copy('2')
      const m = JSON.parse(readFileSync(backupManifestPath(wrongSum), 'utf8'))
      writeFileSync(backupManifestPath(wrongSum), JSON.stringify({ ...m, sha256: '0'.repeat(64) }))
      assert.match((await validateBackup(wrongSum)).problems.join(), /SHA-256 does not match/)
      const missing = copy('3')
      const inst = await DuckDBInstance.create(missing)
      const c = await inst.connect()
      await c.run('DROP TABLE feedback')
      c.closeSync()
      inst.closeSync()
      const m3 = JSON.parse(readFileSync(backupManifestPath(missing), 'utf8'))
      const { createHash } = await import('node:crypto')
      const bytes = readFileSync(missing)
      writeFileSync(
        backupManifestPath(missing),
        JSON.stringify({
          ...m3,
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        }),
      )
      const v3 = await validateBackup(missing)
      assert.equal(v3.valid, false)
      assert.match(v3.problems.join(), /table feedback is missing/)
      const noManifest = copy('4')
      writeFileSync(backupManifestPath(noManifest), '{')
      assert.equal((await validateBackup(noManifest)).valid, false)
      await store.close()
      for (const bad of [truncated, wrongSum, missing]) {
        await assert.rejects(
          restoreFromBackup(bad, { path: store.path }),
          /is not valid, nothing was restored/,
        )
      }
    }))

  it('should restore a backup, keep the previous file as .pre_restore, and refuse while open', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'learning.duckdb')
      const store = await openStore({ path, dataDir: dir })
      await recordExecutions(store, [execution(), execution()])
      const { file } = await backupDatabase(store)
      await recordExecutions(store, [execution()])
      await assert.rejects(restoreFromBackup(file, { path }), /open in this process/)
      await store.close()
      await assert.rejects(restoreFromBackup(path, { path }), /live database/)
      await assert.rejects(
        restoreFromBackup('../x/learning_db_backup_20260101_000000.duckdb', { path }),
        /'\.\.'/,
      )
      const report = await restoreFromBackup(file, { path })
      assert.equal(report.record_count, 2)
      assert.ok(existsSync(`${path}.pre_restore`))
      const reopened = await openStore({ path, dataDir: dir })
      assert.equal(await countRows(reopened, 'executions'), 2)
      await reopened.close()
      const old = await openStore({ path: `${path}.pre_restore`, readOnly: true })
      assert.equal(await countRows(old, 'executions'), 3)
      await old.close()
    }))

  it('should refuse to restore a database another process holds', () =>
    withTempDir(async (dir) => {
      const path = join(dir, 'learning.duckdb')
      const store = await openStore({ path, dataDir: dir })
      const { file } = await backupDatabase(store)
      await store.close()
      const holder = spawn(
        process.execPath,
        [
          '-e',
          `const { DuckDBInstance } = require(${JSON.stringify(require_('@duckdb/node-api'))});
           DuckDBInstance.create(${JSON.stringify(path)}).then(async (i) => { await i.connect(); console.log('held') })
           setInterval(() => {}, 1000)`,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      )
      try {
        await new Promise((resolve) => holder.stdout.once('data', resolve))
        await assert.rejects(restoreFromBackup(file, { path }), /in use by another process \(PID \d+/)
      } finally {
        holder.kill('SIGKILL')
      }
    }))

  it('should prune old backups but never the only intact one', () =>
    withOpsStore(async (store) => {
      const day = 86_400_000
      const base = Date.parse('2026-01-01T00:00:00Z')
      for (let i = 0; i < 4; i++) await backupDatabase(store, { now: new Date(base + i * day) })
      assert.equal(listBackups(store).length, 4)
      const r = await pruneBackups(store, { keepLast: 2, keepDays: 0 })
      assert.equal(r.deleted.length, 2)
      assert.equal(listBackups(store).length, 2)
      await assert.rejects(pruneBackups(store, { keepLast: 0 }), /keepLast must be an integer between 1/)
      await assert.rejects(pruneBackups(store, { keepDays: 1.5 }), /keepDays must be an integer/)
    }))
})

function require_(name: string): string {
  return import.meta
    .resolve(name)
    .replace('file://', '')
    .replace(/\/dist\/.*$|\/lib\/.*$/, '')
}
