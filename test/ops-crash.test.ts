import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { archiveExpired } from '../src/ops/archive-expired.js'
import { backupDatabase } from '../src/ops/backup-database.js'
import { listBackupDir } from '../src/ops/backup-retention.js'
import { listArchives } from '../src/ops/restore-archive.js'
import { validateBackup } from '../src/ops/validate-backup.js'
import { openStore, type Store } from '../src/store.js'
import { insertSpread } from './support/ops-store.js'
import { withTempDir } from './support/temp-store.js'

const CHILD = join(import.meta.dirname, 'support', 'ops-crash-child.ts')
const ROWS = 3000

/** Run the child until it dies; returns its last stdout line. */
function runChild(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => {
      out += d
    })
    child.stderr.on('data', (d) => {
      err += d
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${err}`))
      else resolve(out.trim().split('\n').at(-1) ?? '')
    })
  })
}

/** Distinct task_ids in the database ∪ every complete archive (incomplete leftovers are not counted). */
async function rowsEverywhere(store: Store): Promise<number> {
  const files = listArchives(store)
    .filter((a) => a.status === 'complete')
    .map((a) => a.files[0]!)
  return store.read(async (c) => {
    const list = files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')
    const union = files.length === 0 ? '' : ` UNION ALL SELECT task_id FROM read_parquet([${list}])`
    const [row] = await queryRows<{ n: number }>(
      c,
      `SELECT count(DISTINCT task_id) AS n FROM (SELECT task_id FROM executions${union})`,
    )
    return row?.n ?? 0
  })
}

async function seeded(dir: string): Promise<string> {
  const path = join(dir, 'learning.duckdb')
  const store = await openStore({ path, dataDir: dir })
  await insertSpread(store, ROWS, 60)
  await store.close()
  return path
}

describe('crash safety', () => {
  for (const [step, delay] of [
    ['writing', '5'],
    ['written', '0'],
    ['verified', '0'],
    ['deleted', '0'],
  ] as const) {
    it(`should lose no row when retention is killed at '${step}'`, () =>
      withTempDir(async (dir) => {
        const path = await seeded(dir)
        const last = await runChild(['archive', path, step, delay])
        assert.match(last, /killed at|finished/)
        const store = await openStore({ path, dataDir: dir })
        try {
          assert.equal(await rowsEverywhere(store), ROWS)
          assert.ok(listArchives(store).every((a) => a.status !== 'damaged'))
          // A later run completes the job without loss and without double counting.
          await archiveExpired(store, { days: 30 })
          assert.equal(await rowsEverywhere(store), ROWS)
          const again = await archiveExpired(store, { days: 30 })
          assert.equal(again.deleted_count, 0)
        } finally {
          await store.close()
        }
      }))
  }

  it('should never take a backup killed mid-copy for a good one', () =>
    withTempDir(async (dir) => {
      const path = await seeded(dir)
      await runChild(['backup', path, 'copying', '20'])
      await runChild(['backup', path, 'synced', '0'])
      const backups = listBackupDir(join(dir, 'backups'))
      for (const b of backups) assert.equal((await validateBackup(b.file)).valid, false)
      const store = await openStore({ path, dataDir: dir })
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      assert.equal(row?.n, ROWS)
      await store.close()
    }))

  for (const step of ['copied', 'swapped']) {
    it(`should roll back a restore killed at '${step}' at the next open`, () =>
      withTempDir(async (dir) => {
        const path = await seeded(dir)
        let store = await openStore({ path, dataDir: dir })
        const { file } = await backupDatabase(store)
        await archiveExpired(store, { days: 30 })
        const [before] = await store.read((c) =>
          queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
        )
        await store.close()
        assert.match(await runChild(['restore', path, step, '0', file]), /killed at/)
        store = await openStore({ path, dataDir: dir })
        const [after] = await store.read((c) =>
          queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
        )
        assert.equal(after?.n, before?.n)
        assert.equal(await rowsEverywhere(store), ROWS)
        await store.close()
      }))
  }
})
