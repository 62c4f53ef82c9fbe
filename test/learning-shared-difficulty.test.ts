import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { sigmoid } from '../src/learning/beta.js'
import { seededRandom } from '../src/learning/random.js'
import { recommendRoute } from '../src/learning/recommend-route.js'
import { resolveRouterSettings } from '../src/learning/route-settings.js'
import { routerState } from '../src/learning/router-state.js'
import { MAX_PENDING, SharedDifficulty, taskFeatures } from '../src/learning/shared-difficulty.js'
import { sharedEvidence } from '../src/learning/success-model.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'
import { withStore, withTempDir } from './support/temp-store.js'

const DAY = 86_400_000
const T0 = Date.UTC(2026, 0, 1)
const SKILL: Record<string, number> = { small: -1, medium: 1, large: 3 }

/** A task of `repo` described by `words`. */
function task(repo: string, words: string, complexity = 40) {
  return { task_type: 'bugfix', repo, complexity_score: complexity, task_description: words }
}

/** Outcomes at c · σ(skill − difficulty), one per (tier, task) pair drawn in turn. */
function feed(
  model: SharedDifficulty,
  runs: { tier: string; task: ReturnType<typeof task>; difficulty: number }[],
  n: number,
  ceiling = 1,
  seed = 1,
) {
  const random = seededRandom(seed)
  for (let i = 0; i < n; i++) {
    const run = runs[i % runs.length]!
    const y = random() < ceiling * sigmoid(SKILL[run.tier]! - run.difficulty) ? 1 : 0
    model.observe(taskFeatures(run.tier, run.task), y, T0 + i * 60_000)
  }
}

describe('shared difficulty', () => {
  it('should carry a repo learned from one tier to a tier that never ran there', () => {
    const model = new SharedDifficulty(30)
    const easy = task('orb/web', 'rename a variable')
    const hard = task('orb/engine', 'rename a variable')
    // Small and large run the easy repo; only large runs the hard one, where everything is 2.5 harder.
    feed(
      model,
      [
        { tier: 'small', task: easy, difficulty: 0 },
        { tier: 'large', task: easy, difficulty: 0 },
        { tier: 'large', task: hard, difficulty: 2.5 },
      ],
      3000,
    )
    const onEasy = model.predict(taskFeatures('small', easy)).mean
    const onHard = model.predict(taskFeatures('small', hard)).mean
    assert.ok(Math.abs(onEasy - sigmoid(-1)) < 0.06, `small on the easy repo ${onEasy}`)
    assert.ok(
      Math.abs(onHard - sigmoid(-3.5)) < 0.06,
      `small on the hard repo ${onHard} (truth ${sigmoid(-3.5)})`,
    )
  })

  it('should learn what a word says about difficulty, for every tier', () => {
    const model = new SharedDifficulty(30)
    const plain = task('orb/api', 'add pagination to the endpoint')
    const racy = task('orb/api', 'fix race condition in the queue')
    feed(
      model,
      [
        { tier: 'medium', task: plain, difficulty: 0 },
        { tier: 'medium', task: racy, difficulty: 2 },
        { tier: 'small', task: plain, difficulty: 0 },
      ],
      3000,
    )
    const racySmall = model.predict(taskFeatures('small', racy)).mean
    assert.ok(racySmall < 0.15, `small on the race condition, never run: ${racySmall} (truth ${sigmoid(-3)})`)
    assert.ok(model.predict(taskFeatures('small', plain)).mean > 0.2)
  })

  it('should learn the ceiling that even the strongest tier does not pass', () => {
    // Large on tasks from easy to hard: its success falls with complexity but levels off at 90 %, which a
    // logistic curve alone cannot bend to.
    const model = new SharedDifficulty(30)
    const runs = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((complexity) => ({
      tier: 'large',
      task: task('orb/api', 'tidy imports', complexity),
      difficulty: (3 * (complexity - 50)) / 25,
    }))
    feed(model, runs, 8000, 0.9)
    assert.ok(Math.abs(model.ceiling - 0.9) < 0.03, `ceiling ${model.ceiling}`)
    const easiest = model.predict(taskFeatures('large', runs[0]!.task)).mean
    assert.ok(Math.abs(easiest - 0.9) < 0.03, `large on the easiest task ${easiest}`)
  })

  it('should not leap at a run of surprises when the words always come together', () => {
    // Ninety failures of small, then ten successes: the evidence is 10 %. A diagonal posterior takes the
    // seven words' sum for seven times as uncertain as it is and ends near 0.66; the full one stays low.
    const model = new SharedDifficulty(30)
    const t = task('orb/api', 'refactor the json parser into smaller functions', 20)
    for (let i = 0; i < 300; i++) {
      const tier = ['medium', 'large', 'small'][i % 3]!
      const y = tier !== 'small' || i >= 270 ? 1 : 0
      model.observe(taskFeatures(tier, t), y, T0 + i * 1000)
    }
    const small = model.predict(taskFeatures('small', t)).mean
    assert.ok(small < 0.3, `small ${small}`)
  })

  it('should grow uncertain again as its evidence ages', () => {
    const t = task('orb/api', 'split the parser')
    const variance = (gapDays: number) => {
      const model = new SharedDifficulty(30)
      feed(model, [{ tier: 'medium', task: t, difficulty: 0 }], 500)
      model.observe(taskFeatures('large', t), 1, T0 + 500 * 60_000 + gapDays * DAY)
      return model.predict(taskFeatures('medium', t)).variance
    }
    assert.ok(variance(90) > 4 * variance(0), `${variance(90)} vs ${variance(0)}`)
  })

  it('should learn a drifted tier again once it forgets its own weights, sparing the others', () => {
    // Small and medium run the same task 1,500 times each, then small fails 30 times in a row.
    // Remembering its own weights, small's failures go to the task's shared effects and drag medium
    // down with it; having forgotten them when the drift came on, small falls alone.
    const t = task('orb/api', 'split the parser')
    const after = (forget: boolean) => {
      const model = new SharedDifficulty(30)
      for (let i = 0; i < 3000; i++)
        model.observe(taskFeatures(i % 2 ? 'small' : 'medium', t), i % 10 === 0 ? 0 : 1, T0 + i * 1000)
      const medium = model.predict(taskFeatures('medium', t)).mean
      if (forget) model.forgetTier('small')
      for (let i = 0; i < 30; i++) model.observe(taskFeatures('small', t), 0, T0 + (3000 + i) * 1000)
      return {
        small: model.predict(taskFeatures('small', t)).mean,
        mediumDrop: medium - model.predict(taskFeatures('medium', t)).mean,
      }
    }
    const kept = after(false)
    const forgot = after(true)
    assert.ok(forgot.small < 0.1, `forgotten: small ${forgot.small}`)
    assert.ok(Math.abs(forgot.mediumDrop) < 0.01, `forgotten: medium fell ${forgot.mediumDrop}`)
    assert.ok(kept.mediumDrop > 0.3, `remembering: medium fell ${kept.mediumDrop}`)
  })

  it('should learn committed outcomes when next asked, keeping the newest of a burst', () => {
    const model = new SharedDifficulty(30)
    const t = task('orb/api', 'split the parser')
    for (let i = 0; i < MAX_PENDING + 500; i++)
      model.observe(taskFeatures('small', t), i < 500 ? 1 : 0, T0 + i)
    assert.equal(model.pending, MAX_PENDING)
    // The 500 dropped were the successes: what is learned is the burst's failures.
    assert.ok(model.predict(taskFeatures('small', t)).mean < 0.01)
    assert.equal(model.pending, 0)
  })

  it('should add its prediction as at most difficulty_weight pseudo-observations, fewer while unsure', () => {
    const settings = resolveRouterSettings({ difficulty_weight: 50, difficulty_trust: 1 })
    const sure = sharedEvidence(
      { settings, sharedDifficulty: new Map([['small', { mean: 0.8, variance: 1e-5 }]]) },
      'small',
      500,
    )
    assert.ok(Math.abs(sure.successes - 40) < 1e-9 && Math.abs(sure.failures - 10) < 1e-9)
    // p(1 − p) / Var − 1 = 0.16 / 0.016 − 1 = 9 pseudo-observations.
    const unsure = sharedEvidence(
      { settings, sharedDifficulty: new Map([['small', { mean: 0.8, variance: 0.016 }]]) },
      'small',
      500,
    )
    assert.ok(Math.abs(unsure.successes + unsure.failures - 9) < 1e-9)
    // A tier drift of −1 log-odds moves the mean with it, at the same count.
    const drifted = sharedEvidence(
      {
        settings,
        sharedDifficulty: new Map([['small', { mean: 0.8, variance: 1e-5 }]]),
        tierShift: new Map([['small', -1]]),
      },
      'small',
      500,
    )
    assert.ok(Math.abs(drifted.successes / 50 - sigmoid(Math.log(4) - 1)) < 1e-9)
    assert.ok(Math.abs(drifted.successes + drifted.failures - 50) < 1e-9)
    const off = sharedEvidence(
      {
        settings: resolveRouterSettings({ difficulty_weight: 0 }),
        sharedDifficulty: new Map([['small', { mean: 0.8, variance: 1e-5 }]]),
      },
      'small',
      500,
    )
    assert.deepEqual(off, { successes: 0, failures: 0 })
  })

  it('should trust its effective sample difficulty_trust times once the task type is known', () => {
    const settings = resolveRouterSettings({ difficulty_trust: 30 })
    const unsure = { settings, sharedDifficulty: new Map([['small', { mean: 0.8, variance: 0.016 }]]) }
    const count = (typeEvidence: number) => {
      const e = sharedEvidence(unsure, 'small', typeEvidence)
      assert.ok(Math.abs(e.successes / (e.successes + e.failures) - 0.8) < 1e-9)
      return e.successes + e.failures
    }
    // An effective sample of 9: as it is for a new type, 30 · (1 − (29/30) · 2^(−n/100)) times it after n.
    assert.ok(Math.abs(count(0) - 9) < 1e-9)
    assert.ok(Math.abs(count(100) - 9 * 30 * (1 - (29 / 30) * 0.5)) < 1e-9)
    assert.ok(Math.abs(count(5000) - 270) < 1e-6)
    // Still at most difficulty_weight.
    const capped = sharedEvidence(
      { ...unsure, settings: resolveRouterSettings({ difficulty_trust: 30, difficulty_weight: 100 }) },
      'small',
      5000,
    )
    assert.ok(Math.abs(capped.successes + capped.failures - 100) < 1e-9)
  })

  it('should be rebuilt from the stored executions when a store is opened again', () =>
    withTempDir(async (dir) => {
      const path = `${dir}/replay.duckdb`
      const settings = resolveRouterSettings({})
      const probe = taskFeatures('small', task('orb/engine', 'fix race condition in the queue'))
      const random = seededRandom(5)
      const rows = Array.from({ length: 400 }, (_, i) => {
        const tier = ['small', 'medium', 'large'][i % 3]!
        const repo = i % 2 === 0 ? 'orb/engine' : 'orb/web'
        return execution({
          daysAgo: (400 - i) / 100,
          model_tier: tier,
          repo,
          task_type: 'bugfix',
          task_description: i % 4 < 2 ? 'fix race condition in the queue' : 'update the readme',
          complexity_score: 40,
          success: random() < sigmoid(SKILL[tier]! - (repo === 'orb/engine' ? 1.5 : 0)),
        })
      })
      let live: { mean: number; variance: number }
      const first = await openStore({ path })
      try {
        await routerState(first, settings)
        for (let i = 0; i < rows.length; i += 100) await recordExecutions(first, rows.slice(i, i + 100))
        live = (await routerState(first, settings)).difficulty.predict(probe)
      } finally {
        await first.close()
      }
      const again = await openStore({ path })
      try {
        const replayed = (await routerState(again, settings)).difficulty.predict(probe)
        assert.ok(Math.abs(replayed.mean - live.mean) < 1e-6, `replayed ${replayed.mean}, live ${live.mean}`)
        assert.ok(live.mean < 0.5, `small on a hard repo and task: ${live.mean}`)
      } finally {
        await again.close()
      }
    }))

  it('should move the recommendation: a tier never run on a hard repo is predicted lower there', () =>
    withStore(async (store) => {
      const random = seededRandom(9)
      const rows: Record<string, unknown>[] = []
      for (let i = 0; i < 900; i++) {
        const tier = ['small', 'medium', 'medium'][i % 3]!
        // Small only ever ran the easy repo; medium ran both and failed more on the hard one.
        const repo = tier === 'small' || i % 2 === 0 ? 'orb/web' : 'orb/engine'
        const difficulty = repo === 'orb/engine' ? 2.5 : 0
        rows.push(
          execution({
            daysAgo: (900 - i) / 300,
            model_tier: tier,
            repo,
            complexity_score: 20,
            success: random() < sigmoid(SKILL[tier]! + 2 - difficulty),
          }),
        )
      }
      await recordExecutions(store, rows)
      const smallOn = async (repo: string, difficulty_weight: number) => {
        const r = await recommendRoute(
          store,
          {
            task_type: 'refactor',
            task_description: 'Refactor the JSON parser into smaller functions',
            repo,
            complexity_score: 20,
          },
          { policy: { explore: false }, settings: { difficulty_weight }, dryRun: true },
        )
        // Off, the model is not asked: the explanation does not name it.
        assert.equal(/shared difficulty model/.test(r.explanation), difficulty_weight > 0, r.explanation)
        return r.options.find((o) => o.model_tier === 'small')!.predicted_success
      }
      const gapWith = (await smallOn('orb/web', 1000)) - (await smallOn('orb/engine', 1000))
      const gapWithout = (await smallOn('orb/web', 0)) - (await smallOn('orb/engine', 0))
      assert.ok(gapWith > gapWithout + 0.1, `gap with the shared model ${gapWith}, without ${gapWithout}`)
    }))
})
