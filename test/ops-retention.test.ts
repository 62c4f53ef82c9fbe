import assert from 'node:assert/strict'
import { existsSync, readdirSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { archiveExpired, cleanupOldExecutions } from '../src/ops/archive-expired.js'
import { listArchives, restoreArchive } from '../src/ops/restore-archive.js'
import { execution } from './support/executions.js'
import { countRows, withOpsStore } from './support/ops-store.js'

describe('retention', () => {
  it('should archive then delete rows older than the window, with their feedback', () =>
    withOpsStore(async (store, dir) => {
      const old = execution({ daysAgo: 100 })
      await recordExecutions(store, [old, execution({ daysAgo: 95 }), execution({ daysAgo: 2 })])
      await store.withWriter((c) =>
        c.run(
          `INSERT INTO feedback (feedback_id, task_id, rating) VALUES (uuid(), $t, 4), (uuid(), uuid(), 2)`,
          {
            t: old.task_id as string,
          },
        ),
      )
      const r = await archiveExpired(store, { days: 90 })
      assert.equal(r.archived_count, 2)
      assert.equal(r.deleted_count, 2)
      assert.equal(r.days_cleaned, 90)
      assert.equal(r.feedback_count, 1)
      assert.match(r.archive_file ?? '', /archive\/executions_\d{8}_\d{8}\.parquet$/)
      assert.ok(r.bytes > 0)
      assert.equal(await countRows(store, 'executions'), 1)
      assert.equal(await countRows(store, 'feedback'), 1)
      const [meta] = await store.read((c) =>
        queryRows<{ compression: string }>(c, 'SELECT compression FROM parquet_metadata($f) LIMIT 1', {
          f: r.archive_file!,
        }),
      )
      assert.equal(meta?.compression, 'ZSTD')
      const archives = listArchives(store)
      assert.equal(archives.length, 1)
      assert.equal(archives[0]?.status, 'complete')
      assert.deepEqual(archives[0]?.rows, { executions: 2, feedback: 1, routing_decisions: 0 })
      assert.ok(existsSync(join(dir, 'archive')))
    }))

  it('should be a no-op on a second run', () =>
    withOpsStore(async (store, dir) => {
      await recordExecutions(store, [execution({ daysAgo: 100 }), execution({ daysAgo: 1 })])
      await archiveExpired(store, { days: 30 })
      const again = await cleanupOldExecutions(store, 30)
      assert.deepEqual([again.archived_count, again.deleted_count, again.archive_file], [0, 0, null])
      assert.equal(readdirSync(join(dir, 'archive')).filter((f) => f.endsWith('.manifest.json')).length, 1)
    }))

  it('should restore an archive idempotently, embeddings back as FLOAT[384]', () =>
    withOpsStore(async (store) => {
      await recordExecutions(store, [execution({ daysAgo: 100 }), execution({ daysAgo: 120 })])
      const r = await archiveExpired(store, { days: 90 })
      assert.equal(await countRows(store, 'executions'), 0)
      const first = await restoreArchive(store, r.archive_file!)
      assert.deepEqual(first.restored, { executions: 2, feedback: 0, routing_decisions: 0 })
      const second = await restoreArchive(store, r.archive_file!.replace('.parquet', '.manifest.json'))
      assert.deepEqual([second.restored.executions, second.skipped.executions], [0, 2])
      const [row] = await store.read((c) =>
        queryRows<{ t: string; n: number }>(
          c,
          'SELECT typeof(embedding) AS t, count(embedding) AS n FROM executions GROUP BY ALL',
        ),
      )
      assert.deepEqual(row, { t: 'FLOAT[384]', n: 2 })
    }))

  it('should delete without archive only when asked, and log it', () =>
    withOpsStore(async (store, dir) => {
      await recordExecutions(store, [execution({ daysAgo: 100 })])
      const r = await archiveExpired(store, { days: 90, archive: false })
      assert.deepEqual([r.deleted_count, r.archived_count, r.archive_file], [1, 0, null])
      assert.deepEqual(readdirSync(join(dir, 'archive')), [])
      const log = await store.read((c) =>
        queryRows<{ status: string }>(c, "SELECT status FROM maintenance_log WHERE job = 'retention'"),
      )
      assert.deepEqual(log, [{ status: 'warning' }])
    }))

  it('should expire everything with days 0 only when confirmed', () =>
    withOpsStore(async (store) => {
      await recordExecutions(store, [execution({ daysAgo: 0 })])
      await assert.rejects(archiveExpired(store, { days: 0 }), /days must be between 1 and 3650, got 0/)
      const r = await archiveExpired(store, { days: 0, allExpired: true })
      assert.equal(r.deleted_count, 1)
    }))

  it('should reject bad days and unsafe archive directories', () =>
    withOpsStore(async (store, dir) => {
      for (const days of [-1, 3651, 1.5, Number.NaN, '30']) {
        await assert.rejects(archiveExpired(store, { days: days as number }), { code: 'invalid_input' })
      }
      await assert.rejects(archiveExpired(store, { archiveDir: '../elsewhere' }), /must not contain '..'/)
      await assert.rejects(archiveExpired(store, { archiveDir: 'a\0b' }), /NUL bytes/)
      await assert.rejects(archiveExpired(store, { archiveDir: '/etc' }), /inside the data directory/)
      await assert.rejects(archiveExpired(store, { archiveDir: 'learning.duckdb' }), /live database/)
      symlinkSync('/tmp', join(dir, 'out'))
      await assert.rejects(archiveExpired(store, { archiveDir: 'out/x' }), /symbolic link/)
      await assert.rejects(restoreArchive(store, 'learning.duckdb.wal'), /live database/)
      await assert.rejects(restoreArchive(store, 'notes.txt'), /must name an archive/)
    }))
})
