import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import type { Store } from '../src/store.js'
import { exportExecutions } from '../src/transfer/export-executions.js'
import { importExecutions } from '../src/transfer/import-executions.js'
import { execution } from './support/executions.js'
import { runCli } from './support/run-cli.js'
import { withStore } from './support/temp-store.js'

async function count(store: Store): Promise<number> {
  const [row] = await store.read((c) => queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'))
  return row?.n ?? 0
}

describe('importExecutions rejections', () => {
  it('should report bad JSONL lines by line number and import the good ones', () =>
    withStore(async (store, dir) => {
      const file = join(dir, 'in.jsonl')
      const lines = [
        JSON.stringify(execution()),
        '{not json',
        '',
        JSON.stringify(execution({ complexity_score: 101 })),
        JSON.stringify(execution({ surprise: 1 })),
        JSON.stringify(execution()),
      ]
      writeFileSync(file, `${lines.join('\n')}\n`)
      const seen: number[] = []
      const report = await importExecutions(store, file, {
        batchSize: 2,
        onProgress: (p) => seen.push(p.rows),
      })
      assert.deepEqual([report.rows, report.inserted, report.rejected], [5, 2, 3])
      assert.deepEqual(
        report.rejections.map((r) => [r.line, r.error.replace(/:.*$/s, '')]),
        [
          [2, 'not valid JSON'],
          [4, 'complexity_score must be between 0 and 100, got 101'],
          [5, 'unknown field "surprise" (extra data belongs in metadata)'],
        ],
      )
      assert.equal(await count(store), 2)
      assert.equal(seen.at(-1), 5)
    }))

  it('should type CSV cells per column and reject a bad cell naming field, value and line', () =>
    withStore(async (store, dir) => {
      const file = join(dir, 'in.csv')
      const header =
        'task_type,task_description,repo,model_tier,pool_type,routing_confidence,complexity_score,success,duration_seconds,cost_estimate,actual_cost'
      writeFileSync(
        file,
        `${header}\nrefactor,ok,orb/api,small,k8s,0.5,10,true,1.5,0.1,0.1\nrefactor,bad,orb/api,small,k8s,0.5,ten,true,1.5,0.1,0.1\n`,
      )
      const report = await importExecutions(store, file)
      assert.equal(report.inserted, 1)
      assert.deepEqual(report.rejections, [
        { line: 3, error: 'complexity_score must be a number, got "ten"' },
      ])
    }))

  it('should refuse a CSV with an unknown column before importing anything', () =>
    withStore(async (store, dir) => {
      const file = join(dir, 'in.csv')
      writeFileSync(file, 'task_type,colour\nrefactor,red\n')
      await assert.rejects(importExecutions(store, file), /unknown column "colour"/)
      assert.equal(await count(store), 0)
    }))

  it('should refuse an unknown extension and a missing file', () =>
    withStore(async (store, dir) => {
      await assert.rejects(importExecutions(store, join(dir, 'x.xml')), /cannot tell the format/)
      await assert.rejects(importExecutions(store, join(dir, 'x.jsonl')), /does not exist/)
      await assert.rejects(
        importExecutions(store, join(dir, 'x.txt'), { format: 'yaml' }),
        /format must be one of/,
      )
    }))
})

describe('exportExecutions filters', () => {
  it('should export only the rows of --repo inside [since, until)', () =>
    withStore(async (store, dir) => {
      await recordExecutions(store, [
        execution({ repo: 'a', daysAgo: 10 }),
        execution({ repo: 'a', daysAgo: 3 }),
        execution({ repo: 'b', daysAgo: 3 }),
        execution({ repo: 'a', daysAgo: 0 }),
      ])
      const since = new Date(Date.now() - 5 * 86_400_000).toISOString()
      const until = new Date(Date.now() - 86_400_000).toISOString()
      const report = await exportExecutions(store, join(dir, 'a.csv'), { repo: 'a', since, until })
      assert.equal(report.rows, 1)
      await assert.rejects(
        exportExecutions(store, join(dir, 'x.csv'), { since: 'yesterday' }),
        /since must be an ISO 8601/,
      )
    }))
})

describe('orb-learning record / import / export', () => {
  it('should record one JSON argument, JSONL on stdin, and exit 1 naming a rejected record', () =>
    withStore(async (store, dir) => {
      await store.close()
      const db = join(dir, 'learning.duckdb')
      const one = await runCli(['record', JSON.stringify(execution()), '--db', db, '--json'])
      assert.equal(one.code, 0, one.stderr)
      assert.equal(JSON.parse(one.stdout).inserted, 1)
      const stdin = `${JSON.stringify(execution())}\n${JSON.stringify(execution({ user_rating: 6 }))}\n`
      const many = await runCli(['record', '--db', db], { stdin })
      assert.equal(many.code, 1)
      assert.match(many.stdout, /inserted 1, updated 0, rejected 1/)
      assert.match(many.stderr, /record 2: user_rating must be between 1 and 5, got 6/)
      const bad = await runCli(['record', '{oops', '--db', db])
      assert.equal(bad.code, 2)
      assert.match(bad.stderr, /not valid JSON/)
    }))

  it('should export then import through the CLI, with progress on stderr and env ORB_LEARNING_DB', () =>
    withStore(async (store, dir) => {
      await recordExecutions(store, [execution(), execution()])
      await store.close()
      const env = { ORB_LEARNING_DB: join(dir, 'learning.duckdb') }
      const out = join(dir, 'all.parquet')
      const exported = await runCli(['export', out, '--json'], { env })
      assert.equal(exported.code, 0, exported.stderr)
      assert.equal(JSON.parse(exported.stdout).rows, 2)
      const imported = await runCli(['import', out, '--db', join(dir, 'copy.duckdb')])
      assert.equal(imported.code, 0, imported.stderr)
      assert.match(imported.stdout, /inserted\s+2/)
      assert.match(imported.stderr, /import: 2 \/ 2 rows, [\d,]+ rows\/s/)
      const missingFile = await runCli(['import', '--db', join(dir, 'copy.duckdb')])
      assert.equal(missingFile.code, 2)
    }))
})
