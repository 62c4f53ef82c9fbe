// Routing simulator: npm run bench:routing [-- --tasks N [--limit K]] [--worlds 0,1,2,3] [--batch 50]
//   [--seed 1] [--mode max_utility [--value 30] | --mode quality_target [--target 0.97]]
//   [--settings '{"knn_weight":20}'] (router settings overrides, JSON)
// A drift world with 2,000 tasks past its drift runs ours a second time, drifted from the start, as the
// level its recovery is measured against.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { seededRandom } from '../src/learning/random.js'
import {
  always,
  bestTier,
  knnRouter,
  minCostOracle,
  oracle,
  type SimPolicy,
  staticRule,
  staticRuleTier,
  toleranceOracle,
  VALUE_PER_SUCCESS,
} from './routing/baselines.js'
import { type OurStep, runOurs } from './routing/run-ours.js'
import {
  drawOutcome,
  expectedCost,
  makeTasks,
  type SimTask,
  successProbability,
  WORLDS,
  type World,
} from './routing/world.js'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    // Run only the first K tasks of the N-task sequence (same clock and drift point): a quick cold start.
    limit: { type: 'string', default: '' },
    worlds: { type: 'string', default: WORLDS.map((_, i) => i).join(',') },
    batch: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    mode: { type: 'string', default: 'cheapest_within_tolerance' },
    // value_per_success of ours' policy in max_utility mode; the tables always score utility at V=30.
    value: { type: 'string', default: '' },
    // quality_target of ours' policy in quality_target mode.
    target: { type: 'string', default: '0.97' },
    // quality_tolerance of ours' policy in cheapest_within_tolerance mode.
    tolerance: { type: 'string', default: '0.02' },
    settings: { type: 'string', default: '{}' },
  },
})
const N = Number(values.tasks)
const limit = values.limit === '' ? N : Number(values.limit)
const batch = Number(values.batch)
const seed = Number(values.seed)
const MODES = ['cheapest_within_tolerance', 'max_utility', 'quality_target'] as const
const mode = MODES.find((m) => m === values.mode) ?? 'cheapest_within_tolerance'
const target = Number(values.target)
const value = values.value === '' ? VALUE_PER_SUCCESS : Number(values.value)
const tolerance = Number(values.tolerance)

interface Score {
  policy: string
  success: number
  cost: number
  utility: number
  regret: number
  coldSuccess: number
  coldUtility: number
  /** Regret per task over the cold start: the noise-free counterpart of coldUtility. */
  coldRegret: number
  perTaskRegret: number[]
  trueSuccess: number
}

function score(
  world: World,
  tasks: readonly SimTask[],
  name: string,
  choices: readonly { tier: string; success: boolean; actual_cost: number }[],
): Score {
  let s = 0
  let c = 0
  let trueS = 0
  const perTaskRegret: number[] = []
  let coldS = 0
  let coldU = 0
  const cold = Math.min(500, tasks.length)
  choices.forEach((ch, i) => {
    const t = tasks[i]!
    s += ch.success ? 1 : 0
    c += ch.actual_cost
    const p = successProbability(world, t, ch.tier)
    trueS += p
    const u = VALUE_PER_SUCCESS * p - expectedCost(world, t, ch.tier)
    const o = bestTier(world, t)
    const uo = VALUE_PER_SUCCESS * successProbability(world, t, o) - expectedCost(world, t, o)
    perTaskRegret.push(uo - u)
    if (i < cold) {
      coldS += ch.success ? 1 : 0
      coldU += VALUE_PER_SUCCESS * (ch.success ? 1 : 0) - ch.actual_cost
    }
  })
  const n = choices.length
  return {
    policy: name,
    success: s / n,
    cost: c,
    utility: VALUE_PER_SUCCESS * s - c,
    regret: perTaskRegret.reduce((a, b) => a + b, 0),
    coldSuccess: coldS / cold,
    coldUtility: coldU / cold,
    coldRegret: perTaskRegret.slice(0, cold).reduce((a, b) => a + b, 0) / cold,
    perTaskRegret,
    trueSuccess: trueS / n,
  }
}

function simulate(world: World, tasks: readonly SimTask[], policy: SimPolicy) {
  return tasks.map((t) => {
    const { tier, pool } = policy.choose(t)
    const o = drawOutcome(world, t, tier, pool)
    policy.learn?.(t, tier, pool, o)
    return { tier, ...o }
  })
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** A policy's mean regret per task over the 2,000 tasks before the drift. */
const beforeDrift = (regret: readonly number[], at: number) => mean(regret.slice(Math.max(0, at - 2000), at))

/**
 * Tasks after the drift until the trailing 500-task mean regret is back within 1.25x (+0.1) of `level`
 * (by default the policy's own level before the drift).
 */
function recovery(regret: readonly number[], at: number, level = beforeDrift(regret, at)): number | null {
  for (let end = at + 500; end <= regret.length; end += 50) {
    if (mean(regret.slice(end - 500, end)) <= level * 1.25 + 0.1) return end - at
  }
  return null
}

/** What exploring cost: ours' expected success and cost against what its greedy choices would have had. */
function exploreCost(world: World, tasks: readonly SimTask[], steps: readonly OurStep[]): string {
  const expected = (tiers: readonly string[]) => {
    const { success, cost } = largeShares(world, tasks, tiers, 0, tasks.length)
    return `${pct(success)} of always-large's success at ${pct(cost)} of its cost`
  }
  return `expected (true p): ours ${expected(steps.map((s) => s.tier))}; its greedy choices (no exploration) ${expected(steps.map((s) => s.greedyTier))}`
}

/** Expected success and cost of `tiers` on tasks [from, to) as shares of always-large's there (true p). */
function largeShares(
  world: World,
  tasks: readonly SimTask[],
  tiers: readonly string[],
  from: number,
  to: number,
): { success: number; cost: number } {
  let success = 0
  let cost = 0
  let largeSuccess = 0
  let largeCost = 0
  for (let i = from; i < to; i++) {
    success += successProbability(world, tasks[i]!, tiers[i]!)
    cost += expectedCost(world, tasks[i]!, tiers[i]!)
    largeSuccess += successProbability(world, tasks[i]!, 'large')
    largeCost += expectedCost(world, tasks[i]!, 'large')
  }
  return { success: success / largeSuccess, cost: cost / largeCost }
}

/**
 * The cold start by the static rule's tier for each task: over the first 500 tasks, regret per task of
 * ours and of the rule, and the tiers ours ran, where ours gains or loses against the rule.
 */
function coldByRuleTier(
  world: World,
  tasks: readonly SimTask[],
  steps: readonly OurStep[],
  ours: readonly number[],
  rule: readonly number[],
): string {
  const tiers = world.tiers.map((t) => t.name)
  const parts = tiers.map((ruleTier) => {
    const idx = tasks
      .slice(0, 500)
      .map((t, i) => (staticRuleTier(t) === ruleTier ? i : -1))
      .filter((i) => i >= 0)
    if (idx.length === 0) return `${ruleTier}: none`
    const at = (xs: readonly number[]) => mean(idx.map((i) => xs[i]!)).toFixed(2)
    const ran = tiers
      .map((tier) => `${((100 * idx.filter((i) => steps[i]!.tier === tier).length) / idx.length).toFixed(0)}`)
      .join('/')
    return `${ruleTier} (${idx.length} tasks): ${at(ours)} / ${at(rule)}, ours ran s/m/l ${ran} %`
  })
  return `first 500 by the static rule's tier, regret/task ours / static rule: ${parts.join('; ')}`
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const dir = mkdtempSync(join(tmpdir(), 'orb-routing-bench-'))
const startMs = Date.now() - 60 * 86_400_000 - 3_600_000
const stepMs = (60 * 86_400_000) / N
const lines: string[] = []
try {
  for (const wi of values.worlds.split(',').map(Number)) {
    const base = WORLDS[wi]!
    const first = lines.length
    const world: World = {
      ...base,
      driftAt: base.driftAt === undefined ? undefined : Math.floor(base.driftAt * N),
    }
    const tasks = makeTasks(
      world,
      N,
      seededRandom(seed * 1000 + wi),
      seededRandom(seed * 1000 + wi + 500),
    ).slice(0, limit)
    const policies = [
      always('small'),
      always('medium'),
      always('large'),
      staticRule(),
      knnRouter(world, seededRandom(seed + 7)),
      oracle(world),
      toleranceOracle(world, tolerance),
      minCostOracle(world, tasks),
      minCostOracle(world, tasks, 0.97, true),
    ]
    const runs = policies.map((p) => simulate(world, tasks, p))
    const scores = policies.map((p, i) => score(world, tasks, p.name, runs[i]!))
    const t0 = performance.now()
    const progressOf = (label: string) => (i: number) => {
      if ((i + 1) % 2000 === 0)
        process.stderr.write(
          `[${label}] ${i + 1}/${tasks.length} tasks, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
        )
    }
    const oursOptions: Parameters<typeof runOurs>[4] = {
      batch,
      mode,
      value,
      target,
      tolerance,
      settings: JSON.parse(values.settings) as Record<string, unknown>,
      startMs,
      stepMs,
      progress: progressOf(world.name),
    }
    const ours = await runOurs(world, tasks, dir, seededRandom(seed + 99), oursOptions)
    const wall = (performance.now() - t0) / 1000
    const oursScore = score(world, tasks, `ours (${ourPolicyLabel()})`, ours.steps)
    scores.splice(5, 0, oursScore)
    const large = scores.find((s) => s.policy === 'always-large')!
    lines.push(
      `\n### World: ${world.name} (${tasks.length} tasks, outcomes recorded in batches of ${batch})\n`,
    )
    lines.push(
      '| policy | success | total cost | cost vs always-large | utility (V=30) | regret vs oracle | first 500: success | first 500: utility/task | first 500: regret/task |',
    )
    lines.push('|---|---|---|---|---|---|---|---|---|')
    for (const s of scores) {
      lines.push(
        `| ${s.policy} | ${pct(s.success)} | ${s.cost.toFixed(0)} | ${pct(s.cost / large.cost)} | ${s.utility.toFixed(0)} | ${s.regret.toFixed(0)} | ${pct(s.coldSuccess)} | ${s.coldUtility.toFixed(2)} | ${s.coldRegret.toFixed(2)} |`,
      )
    }
    const lat = ours.steps.map((s) => s.latencyMs).sort((a, b) => a - b)
    const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))]!.toFixed(2)
    lines.push('')
    lines.push(
      `- ours vs always-large: ${pct(oursScore.success / large.success)} of its success at ${pct(oursScore.cost / large.cost)} of its cost`,
    )
    lines.push(
      `- recommendRoute latency (incl. decision-log insert) p50 ${q(0.5)} ms, p99 ${q(0.99)} ms; run ${wall.toFixed(0)} s (of which recording outcomes ${ours.writeSeconds.toFixed(0)} s)`,
    )
    lines.push(`- ${exploreCost(world, tasks, ours.steps)}`)
    const staticScore = scores.find((s) => s.policy === 'static rule')!
    lines.push(
      `- ${coldByRuleTier(world, tasks, ours.steps, oursScore.perTaskRegret, staticScore.perTaskRegret)}`,
    )
    const driftAt = world.driftAt
    if (driftAt !== undefined && driftAt < tasks.length) {
      const share = (tiers: readonly string[], from: number, to: number) => {
        const { success, cost } = largeShares(world, tasks, tiers, from, to)
        return `${pct(success)} at ${pct(cost)}`
      }
      const halves = (tiers: readonly string[]) =>
        `${share(tiers, 0, driftAt)} / ${share(tiers, driftAt, tasks.length)}`
      lines.push(
        `- before / after the drift (true p): ours ${halves(ours.steps.map((s) => s.tier))}; oracle on the features ${halves(runs.at(-1)!.map((r) => r.tier))}`,
      )
      const knnRegret = scores.find((s) => s.policy === 'plain kNN')!.perTaskRegret
      lines.push(
        `- drift at task ${driftAt}: ours back within 1.25x of its pre-drift regret after ${recovery(oursScore.perTaskRegret, driftAt) ?? 'never'} tasks (plain kNN: ${recovery(knnRegret, driftAt) ?? 'never'}, static: ${recovery(staticScore.perTaskRegret, driftAt) ?? 'never'})`,
      )
      if (tasks.length >= driftAt + 2000) {
        // The level each learner settles at on the same post-drift tasks when the world was always drifted:
        // recovered means no worse off for the stale history, whatever the new world lets the policy reach.
        const drifted = { ...world, name: `${world.name}, drifted from the start`, driftAt: 0 }
        const settled = (regret: readonly number[]) => mean(regret.slice(driftAt))
        const oursFresh = await runOurs(drifted, tasks, dir, seededRandom(seed + 99), {
          ...oursOptions,
          progress: progressOf(drifted.name),
        })
        const knn = knnRouter(drifted, seededRandom(seed + 7))
        const fresh = {
          ours: score(drifted, tasks, 'ours', oursFresh.steps).perTaskRegret,
          knn: score(drifted, tasks, knn.name, simulate(drifted, tasks, knn)).perTaskRegret,
        }
        const level = (regret: readonly number[], freshRegret: readonly number[]) =>
          `${recovery(regret, driftAt, settled(freshRegret)) ?? 'never'} tasks (settled ${settled(freshRegret).toFixed(2)}/task, before the drift ${beforeDrift(regret, driftAt).toFixed(2)})`
        lines.push(
          `- the same after a world drifted from the start: ours back within 1.25x of that run's regret on the same post-drift tasks after ${level(oursScore.perTaskRegret, fresh.ours)}; plain kNN after ${level(knnRegret, fresh.knn)}`,
        )
      }
    }
    const truth: Record<string, number> = {
      'always-small': scores[0]!.trueSuccess,
      'always-medium': scores[1]!.trueSuccess,
      'always-large': scores[2]!.trueSuccess,
      static_rule: scores[3]!.trueSuccess,
      greedy: score(
        world,
        tasks,
        'greedy',
        ours.steps.map((s) => ({ tier: s.greedyTier, success: false, actual_cost: 0 })),
      ).trueSuccess,
      logged: oursScore.trueSuccess,
    }
    lines.push('')
    lines.push(
      '| off-policy estimate (from the decision log) | SNIPS | 95 % CI | ESS | doubly robust | 95 % CI | true simulated success | error SNIPS | error DR |',
    )
    lines.push('|---|---|---|---|---|---|---|---|---|')
    const range = (i: [number, number] | null) => (i ? `${pct(i[0])} - ${pct(i[1])}` : '')
    for (const e of ours.evaluation.estimates) {
      const t = truth[e.policy]
      const err = (x: number | null) =>
        x === null || t === undefined ? 'n/a' : `${(100 * (x - t)).toFixed(1)} pts`
      lines.push(
        `| ${e.policy} | ${e.snips === null ? e.status : pct(e.snips)} | ${range(e.interval)} | ${e.ess.toFixed(0)} | ${e.dr === null ? '' : pct(e.dr)} | ${range(e.dr_interval)} | ${t === undefined ? '' : pct(t)} | ${err(e.snips)} | ${err(e.dr)} |`,
      )
    }
    process.stderr.write(`${lines.slice(first).join('\n')}\n`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
process.stdout.write(`${lines.join('\n')}\n`)

function ourPolicyLabel(): string {
  if (mode === 'max_utility') return `max_utility, V=${value}`
  if (mode === 'quality_target') return `quality_target ${target}`
  return `default: cheapest within ${tolerance}`
}
