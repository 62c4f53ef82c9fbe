import assert from 'node:assert/strict'
import { chmodSync, copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { importLegacyDatabase } from '../src/db/legacy-import.js'
import { queryRows } from '../src/db/query-rows.js'
import { EXECUTION_COLUMNS } from '../src/record.js'
import { runCli } from './support/run-cli.js'
import { withStore, withTempDir } from './support/temp-store.js'

const FIXTURE = '/work/shared/fixtures/mahavishnu-learning.duckdb'
const KEPT = EXECUTION_COLUMNS.filter((c) => c !== 'embedding')
const EXACT = KEPT.map((c) => (c === 'timestamp' || c === 'uploaded_at' ? `${c}::VARCHAR AS ${c}` : c)).join(
  ', ',
)

function copyFixture(dir: string): string {
  const file = join(dir, 'legacy.duckdb')
  copyFileSync(FIXTURE, file)
  chmodSync(file, 0o644)
  return file
}

async function legacyRows(file: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' })
  const conn = await instance.connect()
  try {
    return await queryRows(conn, `SELECT ${EXACT} FROM executions ORDER BY task_id`)
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

describe('importLegacyDatabase', () => {
  it('should import all 50 rows, keep every field exactly and re-embed with 384 dimensions', () =>
    withStore(async (store, dir) => {
      const file = copyFixture(dir)
      const report = await importLegacyDatabase(store, file)
      assert.deepEqual([report.rows, report.inserted, report.unchanged, report.rejected], [50, 50, 0, []])
      const ours = await store.read((c) => queryRows(c, `SELECT ${EXACT} FROM executions ORDER BY task_id`))
      assert.deepEqual(ours, await legacyRows(file))
      const [dims] = await store.read((c) =>
        queryRows<{ n: number; d: number }>(
          c,
          'SELECT count(*) AS n, min(len(embedding)) AS d FROM executions',
        ),
      )
      assert.deepEqual(dims, { n: 50, d: 384 })
    }))

  it('should be idempotent: a second run adds nothing and reports the rows as unchanged', () =>
    withStore(async (store, dir) => {
      const file = copyFixture(dir)
      await importLegacyDatabase(store, file)
      const again = await importLegacyDatabase(store, file)
      assert.deepEqual([again.inserted, again.unchanged, again.rejected.length], [0, 50, 0])
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      assert.equal(row?.n, 50)
    }))

  it('should report rows it cannot take by row and task_id, and import the rest', () =>
    withStore(async (store, dir) => {
      const file = copyFixture(dir)
      const instance = await DuckDBInstance.create(file)
      const conn = await instance.connect()
      await conn.run(`UPDATE executions SET routing_confidence = 1.5
        WHERE task_id = (SELECT task_id FROM executions ORDER BY timestamp, task_id LIMIT 1)`)
      conn.closeSync()
      instance.closeSync()
      const report = await importLegacyDatabase(store, file)
      assert.equal(report.inserted, 49)
      assert.equal(report.rejected.length, 1)
      assert.equal(report.rejected[0]?.row, 1)
      assert.match(report.rejected[0]!.error, /routing_confidence must be between 0 and 1, got 1.5/)
    }))

  it('should run as `orb-learning import-legacy` and fail clearly on a missing file', () =>
    withTempDir(async (dir) => {
      const file = copyFixture(dir)
      const db = join(dir, 'ours.duckdb')
      const ok = await runCli(['import-legacy', file, '--db', db, '--json'])
      assert.equal(ok.code, 0, ok.stderr)
      assert.equal(JSON.parse(ok.stdout).inserted, 50)
      const missing = await runCli(['import-legacy', join(dir, 'nope.duckdb'), '--db', db])
      assert.equal(missing.code, 1)
      assert.match(missing.stderr, /legacy database .*nope\.duckdb does not exist/)
    }))
})
