import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, it } from 'node:test'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecution, recordExecutions } from '../src/ingest/record-executions.js'
import { deleteFeedback, exportFeedback, listFeedback } from '../src/learning/feedback-queries.js'
import { recommendRoute } from '../src/learning/recommend-route.js'
import { recordFeedback } from '../src/learning/record-feedback.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const code = (c: string, message: RegExp) => (e: Error) => {
  assert.equal((e as { code?: string }).code, c)
  assert.match(e.message, message)
  return true
}

describe('recordFeedback', () => {
  it('should store feedback as its own row, private by default, and update the execution', () =>
    withStore(async (store) => {
      const e = execution()
      await recordExecution(store, e)
      const r = await recordFeedback(store, {
        task_id: e.task_id as string,
        rating: 4,
        accepted: true,
        user_id: 'ana',
      })
      assert.equal(r.status, 'recorded')
      const [row] = await listFeedback(store, { task_id: e.task_id as string })
      assert.equal(row?.visibility, 'private')
      assert.equal(row?.rating, 4)
      assert.equal(row?.user_id, 'ana')
      const [exe] = await store.read((c) =>
        queryRows<{ user_rating: number; user_accepted: boolean }>(
          c,
          'SELECT user_rating, user_accepted FROM executions WHERE task_id = $id::UUID',
          { id: e.task_id as string },
        ),
      )
      assert.deepEqual(exe, { user_rating: 4, user_accepted: true })
    }))

  it('should enforce the feedback rules with clear errors and write nothing', () =>
    withStore(async (store) => {
      const e = execution()
      await recordExecution(store, e)
      const id = e.task_id as string
      const bad: [Record<string, unknown>, RegExp][] = [
        [{ satisfaction: 'poor' }, /issue_type is required when satisfaction is 'poor'/],
        [{ satisfaction: 'fair' }, /issue_type is required when satisfaction is 'fair'/],
        [{ issue_type: 'other' }, /comment is required when issue_type is 'other'/],
        [
          { issue_type: 'other', comment: 'x'.repeat(2001) },
          /comment must be at most 2000 characters, got 2001/,
        ],
        [{ rating: 0 }, /rating must be between 1 and 5/],
        [{ rating: 6 }, /rating must be between 1 and 5/],
        [{}, /at least one of/],
        [{ visibility: 'world' }, /visibility/],
      ]
      for (const [patch, message] of bad) {
        await assert.rejects(
          recordFeedback(store, { task_id: id, ...patch } as never),
          code('invalid_input', message),
        )
      }
      await recordFeedback(store, { task_id: id, issue_type: 'other', comment: 'x'.repeat(2000) })
      assert.equal((await listFeedback(store, { task_id: id })).length, 1)
    }))

  it("should turn the original's three yes/no questions into a satisfaction and an issue type", () =>
    withStore(async (store) => {
      const cases: [Record<string, boolean>, string, string | null][] = [
        [{ model_appropriate: true, speed_acceptable: true, expectations_met: true }, 'excellent', null],
        [{ model_appropriate: true, speed_acceptable: false, expectations_met: true }, 'good', null],
        [{ model_appropriate: true, speed_acceptable: false, expectations_met: false }, 'fair', 'too_slow'],
        [{ model_appropriate: false }, 'poor', 'wrong_model'],
        [{ model_appropriate: true, speed_acceptable: true }, 'good', null],
      ]
      for (const [answers, satisfaction, issue] of cases) {
        const e = execution()
        await recordExecution(store, e)
        const r = await recordFeedback(store, { task_id: e.task_id as string, ...answers })
        assert.deepEqual([r.satisfaction, r.issue_type], [satisfaction, issue], JSON.stringify(answers))
        const [row] = await listFeedback(store, { task_id: e.task_id as string })
        assert.equal(row?.satisfaction, satisfaction)
      }
      // An explicit issue type is kept; a satisfaction given as well is a contradiction.
      const e = execution()
      await recordExecution(store, e)
      const id = e.task_id as string
      const r = await recordFeedback(store, {
        task_id: id,
        expectations_met: false,
        issue_type: 'other',
        comment: 'off',
      })
      assert.deepEqual([r.satisfaction, r.issue_type], ['poor', 'other'])
      await assert.rejects(
        recordFeedback(store, { task_id: id, satisfaction: 'good', speed_acceptable: true }),
        code('invalid_input', /satisfaction must not be given together with/),
      )
    }))

  it('should refuse an unknown task, but accept one that was routed and join it when the execution arrives', () =>
    withStore(async (store) => {
      await assert.rejects(
        recordFeedback(store, { task_id: randomUUID(), rating: 3 }),
        code('not_found', /no execution/),
      )
      const routed = await recommendRoute(store, {
        task_type: 'refactor',
        task_description: 'x y z',
        repo: 'r',
      })
      const early = await recordFeedback(store, { task_id: routed.task_id, rating: 2, accepted: false })
      assert.equal(early.status, 'pending_execution')
      await recordExecutions(store, [execution({ task_id: routed.task_id })])
      const [exe] = await store.read((c) =>
        queryRows<{ user_rating: number; user_accepted: boolean }>(
          c,
          'SELECT user_rating, user_accepted FROM executions WHERE task_id = $id::UUID',
          { id: routed.task_id },
        ),
      )
      assert.deepEqual(exe, { user_rating: 2, user_accepted: false })
    }))

  it('should rate-limit duplicate feedback per task and user', () =>
    withStore(async (store) => {
      const e = execution()
      await recordExecution(store, e)
      const id = e.task_id as string
      await recordFeedback(store, { task_id: id, rating: 5, user_id: 'ana' })
      await assert.rejects(
        recordFeedback(store, { task_id: id, rating: 5, user_id: 'ana' }),
        code('conflict', /duplicate feedback/),
      )
      await recordFeedback(store, { task_id: id, rating: 1, user_id: 'bob' })
      await recordFeedback(store, { task_id: id, rating: 1 })
      await assert.rejects(recordFeedback(store, { task_id: id, rating: 1 }), code('conflict', /anonymous/))
      assert.equal((await listFeedback(store, { task_id: id })).length, 3)
    }))

  it('should delete feedback and export it without ids, repos, descriptions or private comments', () =>
    withStore(async (store) => {
      const e = execution({ repo: 'secret/repo', task_description: 'confidential thing' })
      await recordExecution(store, e)
      const id = e.task_id as string
      await recordFeedback(store, {
        task_id: id,
        issue_type: 'other',
        comment: 'private note',
        user_id: 'ana',
      })
      const pub = await recordFeedback(store, {
        task_id: id,
        satisfaction: 'poor',
        issue_type: 'wrong_model',
        comment: 'public note',
        user_id: 'bob',
        visibility: 'public',
      })
      const exported = await exportFeedback(store)
      assert.equal(exported.length, 2)
      const text = JSON.stringify(exported)
      for (const secret of [id, 'secret/repo', 'confidential', 'ana', 'bob', 'private note']) {
        assert.ok(!text.includes(secret), `export leaks ${secret}`)
      }
      assert.ok(text.includes('public note'))
      assert.deepEqual(await deleteFeedback(store, { feedback_id: pub.feedback_id }), { deleted: 1 })
      await assert.rejects(
        deleteFeedback(store, { feedback_id: pub.feedback_id }),
        code('not_found', /does not exist/),
      )
      assert.equal((await listFeedback(store, { task_id: id })).length, 1)
    }))

  it('should count a wrong_model feedback against its option in the router', () =>
    withStore(async (store) => {
      const rows = Array.from({ length: 20 }, () =>
        execution({ model_tier: 'small', pool_type: 'p', complexity_score: 10 }),
      )
      await recordExecutions(store, rows)
      const task = {
        task_type: 'refactor',
        task_description: 'Refactor the JSON parser',
        repo: 'orb/api',
        complexity_score: 10,
      }
      const before = await recommendRoute(store, task, { dryRun: true, policy: { explore: false } })
      for (const [i, r] of rows.slice(0, 10).entries()) {
        await recordFeedback(store, {
          task_id: r.task_id as string,
          satisfaction: 'poor',
          issue_type: 'wrong_model',
          user_id: `u${i}`,
        })
      }
      const after = await recommendRoute(store, task, { dryRun: true, policy: { explore: false } })
      const small = (r: typeof before) => r.options.find((o) => o.model_tier === 'small')!.predicted_success
      assert.ok(small(after) < small(before) - 0.05, `${small(before)} -> ${small(after)}`)
    }))
})
