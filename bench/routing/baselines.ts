import type { Random } from '../../src/learning/random.js'
import { RecentMemory } from '../../src/learning/recent-memory.js'
import { DEFAULT_ROUTER_SETTINGS, staticRuleTier as ruleTierOf } from '../../src/learning/route-settings.js'
import { hashEmbed } from '../../src/search/hashing-embedder.js'
import {
  expectedCost,
  knowableSuccessProbability,
  type SimTask,
  successProbability,
  type World,
} from './world.js'

/** A simulated policy: choose a tier and pool, then learn from the outcome. */
export interface SimPolicy {
  name: string
  choose(task: SimTask): { tier: string; pool: string }
  learn?(task: SimTask, tier: string, pool: string, outcome: { success: boolean; actual_cost: number }): void
}

/** Value of one success in cost units, for utility (= V·success - cost) and the oracle. */
export const VALUE_PER_SUCCESS = 30

/** Always the same tier, on the standard pool. */
export function always(tier: string): SimPolicy {
  return { name: `always-${tier}`, choose: () => ({ tier, pool: 'standard' }) }
}

/** The original static rule's tier, by the router's default tiers (0-29 small, 30-59 medium, 60+ large). */
export function staticRuleTier(t: SimTask): string {
  return ruleTierOf(DEFAULT_ROUTER_SETTINGS, t.complexity_score)
}

/** The original static rule, on the standard pool. */
export function staticRule(): SimPolicy {
  return { name: 'static rule', choose: (t) => ({ tier: staticRuleTier(t), pool: 'standard' }) }
}

/** The oracle: knows the hidden success probabilities and expected costs, maximises expected utility. */
export function oracle(world: World): SimPolicy {
  return {
    name: 'oracle',
    choose: (t) => ({ tier: bestTier(world, t), pool: 'fast' }),
  }
}

/** The tier with the highest expected utility under the hidden truth. */
export function bestTier(world: World, t: SimTask): string {
  let best = world.tiers[0]!.name
  let bestU = -Infinity
  for (const tier of world.tiers) {
    const u = VALUE_PER_SUCCESS * successProbability(world, t, tier.name) - expectedCost(world, t, tier.name)
    if (u > bestU) {
      bestU = u
      best = tier.name
    }
  }
  return best
}

/**
 * A plain kNN router (RouterArena's strong baseline): the k nearest of its own past tasks by embedding;
 * per tier, Laplace-smoothed success among neighbours on that tier and their mean cost; choose the best
 * utility; 5 % uniform exploration so that it can learn at all.
 */
export function knnRouter(world: World, random: Random, k = 20): SimPolicy {
  const memory = new RecentMemory(2000, 384)
  const vectors = new Map<number, Float32Array | null>()
  const embed = (t: SimTask) => {
    let v = vectors.get(t.index)
    if (v === undefined) {
      v = hashEmbed(`Task: ${t.task_type} | Description: ${t.task_description} | Repository: ${t.repo}`)
      vectors.set(t.index, v)
    }
    return v
  }
  return {
    name: 'plain kNN',
    choose(t) {
      if (random() < 0.05)
        return { tier: world.tiers[Math.floor(random() * world.tiers.length)]!.name, pool: 'standard' }
      const v = embed(t)
      const near = v ? memory.nearest(t.task_type, v, k, -1) : []
      let best = world.tiers[0]!.name
      let bestU = -Infinity
      for (const tier of world.tiers) {
        const mine = near.filter((n) => n.model_tier === tier.name)
        const p = (mine.filter((n) => n.success).length + 1) / (mine.length + 2)
        const cost =
          mine.length > 0
            ? mine.reduce((a, n) => a + n.actual_cost, 0) / mine.length
            : (tier.rate * t.estimated_tokens) / 1000
        const u = VALUE_PER_SUCCESS * p - cost
        if (u > bestU) {
          bestU = u
          best = tier.name
        }
      }
      return { tier: best, pool: 'standard' }
    },
    learn(t, tier, pool, outcome) {
      memory.add(t.task_type, embed(t), {
        model_tier: tier,
        pool_type: pool,
        success: outcome.success,
        actual_cost: outcome.actual_cost,
        duration_seconds: 0,
        timestamp: t.index,
      })
    },
  }
}

/**
 * The default policy with perfect knowledge: per task, the cheapest tier whose true success is within
 * `tolerance` of the best tier's. The least cost any router with the default policy can reach.
 */
export function toleranceOracle(world: World, tolerance = 0.02): SimPolicy {
  return {
    name: `oracle, cheapest within ${tolerance} (true p)`,
    choose: (t) => {
      const ps = world.tiers.map((tier) => successProbability(world, t, tier.name))
      const best = Math.max(...ps)
      return { tier: world.tiers.find((_, i) => ps[i]! >= best - tolerance)!.name, pool: 'fast' }
    },
  }
}

/**
 * The cheapest policy whose expected success is `share` of always-large's over these tasks: maximise
 * λ·p − cost per task, with the smallest λ (bisection) that reaches the share. With `knowable`, p is what
 * the task's features allow (its own noise averaged out): the least any router can spend, however well
 * it learns; without, p is the hidden truth of each task.
 */
export function minCostOracle(
  world: World,
  tasks: readonly SimTask[],
  share = 0.97,
  knowable = false,
): SimPolicy {
  const p = knowable ? knowableSuccessProbability : successProbability
  // Per task and tier, computed once: the bisection below picks 50 times over every task.
  const tiers = world.tiers.map((tier) => tier.name)
  const table = new Map(
    tasks.map((t) => [
      t,
      tiers.map((tier) => ({
        known: p(world, t, tier),
        truth: successProbability(world, t, tier),
        cost: expectedCost(world, t, tier),
      })),
    ]),
  )
  const pick = (lambda: number, t: SimTask) => {
    const rows = table.get(t)!
    let best = 0
    for (let i = 1; i < rows.length; i++) {
      if (lambda * rows[i]!.known - rows[i]!.cost > lambda * rows[best]!.known - rows[best]!.cost) best = i
    }
    return best
  }
  const large = tasks.reduce((a, t) => a + successProbability(world, t, 'large'), 0)
  const reached = (lambda: number) =>
    tasks.reduce((a, t) => a + table.get(t)![pick(lambda, t)]!.truth, 0) >= share * large
  let lo = 0
  let hi = 10_000
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2
    if (reached(mid)) hi = mid
    else lo = mid
  }
  return {
    name: `oracle${knowable ? ' on the features' : ''}, least cost at ${100 * share} % of always-large's success (λ=${hi.toFixed(1)})`,
    choose: (t) => ({ tier: tiers[pick(hi, t)]!, pool: 'fast' }),
  }
}
