import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { main } from '../src/interfaces/cli/main.js'
import { execution } from './support/executions.js'
import { getJson, postJson, withServer } from './support/http-server.js'
import { withTempDir } from './support/temp-store.js'

function cliIo() {
  let out = ''
  let err = ''
  return {
    io: {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      stdin: process.stdin,
      env: {},
      cwd: process.cwd(),
    },
    out: () => out,
    err: () => err,
  }
}

const task = {
  task_type: 'refactor',
  task_description: 'Split the parser',
  repo: 'orb/api',
  complexity_score: 45,
}

describe('learning faces', () => {
  it('should recommend, take feedback and report over HTTP', () =>
    withServer(async (url, store) => {
      const rec = await postJson(`${url}/v1/recommendations`, {
        ...task,
        options: { policy: { explore: false } },
      })
      assert.equal(rec.status, 201)
      assert.equal(rec.body.chosen.model_tier, 'medium')
      assert.equal(rec.body.options.length, 3)
      const bad = await postJson(`${url}/v1/recommendations`, {
        ...task,
        options: { policy: { quality_tolerance: 2 } },
      })
      assert.equal(bad.status, 400)
      assert.match(bad.body.error.message, /quality_tolerance must be <= 1, got 2/)
      await recordExecutions(store, [execution({ task_id: rec.body.task_id, model_tier: 'medium' })])
      const fb = await postJson(`${url}/v1/feedback`, {
        task_id: rec.body.task_id,
        rating: 5,
        user_id: 'ana',
      })
      assert.equal(fb.status, 201)
      assert.equal(fb.body.status, 'recorded')
      const dup = await postJson(`${url}/v1/feedback`, {
        task_id: rec.body.task_id,
        rating: 5,
        user_id: 'ana',
      })
      assert.equal(dup.status, 409)
      const poor = await postJson(`${url}/v1/feedback`, { task_id: rec.body.task_id, satisfaction: 'poor' })
      assert.equal(poor.status, 400)
      assert.match(poor.body.error.message, /issue_type is required/)
      const list = await getJson(`${url}/v1/feedback?task_id=${rec.body.task_id}`)
      assert.equal(list.body.length, 1)
      const evaluation = await getJson(`${url}/v1/learning/evaluation?days=7`)
      assert.equal(evaluation.status, 200)
      assert.equal(evaluation.body.decisions, 1)
      const calibration = await getJson(`${url}/v1/learning/calibration`)
      assert.equal(calibration.status, 200)
      assert.equal(calibration.body.joined, 1)
      assert.equal((await getJson(`${url}/v1/learning/evaluation?days=-1`)).status, 400)
    }))

  it('should recommend, record feedback and evaluate from the CLI', () =>
    withTempDir(async (dir) => {
      const db = `${dir}/l.duckdb`
      const a = cliIo()
      const args = ['--task-type', 'refactor', '--description', 'Split the parser', '--repo', 'orb/api']
      assert.equal(
        await main(
          [
            'recommend',
            '--db',
            db,
            ...args,
            '--complexity',
            '10',
            '--mode',
            'quality_target',
            '--quality-target',
            '0.9',
            '--json',
          ],
          a.io,
        ),
        0,
        a.err(),
      )
      const rec = JSON.parse(a.out())
      assert.equal(rec.chosen.model_tier, 'small')
      assert.deepEqual([rec.policy.mode, rec.policy.quality_target], ['quality_target', 0.9])
      const b = cliIo()
      assert.equal(await main(['feedback', rec.task_id, '--db', db, '--satisfaction', 'poor'], b.io), 1)
      assert.match(b.err(), /issue_type is required/)
      const yn = cliIo()
      assert.equal(await main(['feedback', rec.task_id, '--db', db, '--speed-acceptable', 'yes'], yn.io), 2)
      assert.match(yn.err(), /--speed-acceptable must be true or false, got "yes"/)
      const c = cliIo()
      assert.equal(
        await main(
          ['feedback', rec.task_id, '--db', db, '--model-appropriate', 'false', '--speed-acceptable', 'true'],
          c.io,
        ),
        0,
        c.err(),
      )
      assert.match(c.out(), /pending_execution/)
      assert.match(c.out(), /satisfaction\s+fair/)
      assert.match(c.out(), /issue_type\s+wrong_model/)
      const d = cliIo()
      assert.equal(await main(['evaluate', '--db', db], d.io), 0, d.err())
      assert.match(d.out(), /always-small/)
      assert.match(d.out(), /policy\s+success_dr\s+dr_ci95\s+success_snips\s+snips_ci95/)
      const e = cliIo()
      assert.equal(await main(['recommend', '--db', db, ...args, '--complexity', 'lots'], e.io), 2)
      assert.match(e.err(), /--complexity must be a number, got "lots"/)
      const f = cliIo()
      assert.equal(await main(['tune-thresholds', '--db', db], f.io), 0, f.err())
      const g = cliIo()
      assert.equal(
        await main(
          ['calibrate-cost', '--db', db, '--tier', 'small', '--task-type', 'refactor', '--tokens', '100'],
          g.io,
        ),
        0,
        g.err(),
      )
      assert.match(g.out(), /basis/)
    }))
})
