import assert from 'node:assert/strict'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { listQueries, runQuery } from '../src/analytics/query-registry.js'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { archiveExpired } from '../src/ops/archive-expired.js'
import { backupDatabase } from '../src/ops/backup-database.js'
import { readBackupManifest } from '../src/ops/backup-manifest.js'
import { restoreFromBackup } from '../src/ops/restore-from-backup.js'
import { validateBackup } from '../src/ops/validate-backup.js'
import { findSimilar } from '../src/search/find-similar.js'
import { checkIndexFiles, indexPaths } from '../src/search/index-files.js'
import { getVectorIndex } from '../src/search/index-registry.js'
import { openStore, type Store } from '../src/store.js'
import { assertClose } from './support/analytics-fixture.js'
import { execution } from './support/executions.js'
import { withOpsStore } from './support/ops-store.js'

const SEARCH = { text: 'Refactor the JSON parser', days: 3650, minSimilarity: -1, limit: 100 }

function records(daysAgo: number, n: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    execution({
      daysAgo: daysAgo + i,
      task_description: `Refactor the JSON parser of module ${i}`,
      model_tier: ['small', 'medium', 'large'][i % 3],
      success: i % 4 !== 0,
      duration_seconds: 5 + i,
    }),
  )
}

/** Days whose rollup row count differs from the raw rows (read without letting a query refresh first). */
async function staleRollupDays(store: Store): Promise<number> {
  const [row] = await store.read((c) =>
    queryRows<{ n: number }>(
      c,
      `WITH raw AS (SELECT timestamp::DATE AS day, count(*) AS n FROM executions GROUP BY 1)
       SELECT count(*) AS n FROM raw FULL JOIN rollup_days d ON raw.day = d.day WHERE raw.n IS DISTINCT FROM d.executions`,
    ),
  )
  return row?.n ?? -1
}

describe('ops: data derived from executions follows retention, backup and restore', () => {
  it('should remove archived rows from the vector index and the rollups', () =>
    withOpsStore(async (store) => {
      const old = await recordExecutions(store, records(40, 8))
      await recordExecutions(store, records(0, 8))
      assert.equal((await findSimilar(store, SEARCH)).length, 16)
      await runQuery(store, 'duration_stats', { range: '90d' })
      assert.equal(await staleRollupDays(store), 0)

      const result = await archiveExpired(store, { days: 30 })
      assert.equal(result.deleted_count, 8)
      assert.deepEqual(result.hook_failures, [])
      assert.equal((await getVectorIndex(store))?.size, 8)
      const found = (await findSimilar(store, SEARCH)).map((r) => r.task_id)
      assert.equal(found.length, 8)
      for (const id of old.task_ids) assert.ok(!found.includes(id), `archived ${id} still found`)
      assert.equal(await staleRollupDays(store), 0, 'rollups refreshed by retention itself')

      const now = new Date()
      let compared = 0
      for (const q of listQueries()) {
        const params = q.params.includes('range' as never) ? { range: '90d' } : {}
        const fromRollup = await runQuery(store, q.name, params, { now })
        if (fromRollup.source === 'raw') continue
        compared++
        const fromRaw = await runQuery(store, q.name, params, { now, useRollups: false })
        assertClose(fromRollup.rows, fromRaw.rows, 1e-12, q.name)
      }
      assert.ok(compared > 5, `${compared} rollup-backed queries compared`)
    }))

  it('should back up the vector index beside the database and restore it with it', () =>
    withOpsStore(async (store, dir) => {
      await recordExecutions(store, records(0, 6))
      assert.equal((await findSimilar(store, SEARCH)).length, 6)
      const backup = await backupDatabase(store)
      const manifest = readBackupManifest(backup.file)
      assert.deepEqual(
        manifest.sidecars.map((s) => s.file.slice(s.file.indexOf('.duckdb.') + 8)),
        ['learning.duckdb.usearch', 'learning.duckdb.usearch.keys', 'learning.duckdb.usearch.json'],
      )
      assert.equal((await validateBackup(backup.file)).valid, true)
      await recordExecutions(store, records(1, 3))
      await store.close()

      const live = indexPaths(store.path)
      for (const f of Object.values(live)) rmSync(f, { force: true })
      const restored = await restoreFromBackup(backup.file, { path: store.path, dataDir: dir })
      assert.deepEqual(restored.sidecars, [live.index, live.keys, live.meta])
      const files = checkIndexFiles(store.path)
      assert.ok(files.ok, 'restored index files pass their checks')
      assert.equal(files.meta.count, 6)
      const reopened = await openStore({ path: store.path, dataDir: dir })
      try {
        assert.equal((await findSimilar(reopened, SEARCH)).length, 6)
      } finally {
        await reopened.close()
      }

      const copy = `${backup.file}.learning.duckdb.usearch.keys`
      assert.ok(existsSync(copy))
      writeFileSync(copy, 'garbage')
      const check = await validateBackup(backup.file)
      assert.equal(check.valid, false)
      assert.match(check.problems.join('; '), /sidecar .*usearch\.keys does not match/)
    }))
})
