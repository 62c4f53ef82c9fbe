import { type Random, sampleNormal } from '../../src/learning/random.js'

/** A simulated world: task mix, tiers with costs and hidden skills, pools with speeds. */
export interface World {
  name: string
  tiers: { name: string; skill: number; rate: number }[]
  pools: { name: string; speed: number }[]
  /** Change the world after this many tasks (drift), or never. */
  driftAt?: number
  drift?: (tier: string) => number
  /** Mean of the complexity distribution (Beta-shaped, 0-100). */
  complexityMean: number
}

/** One simulated task with its hidden difficulty. */
export interface SimTask {
  index: number
  task_type: string
  repo: string
  complexity_score: number
  estimated_tokens: number
  task_description: string
  /** Hidden difficulty on the skill scale (≈ complexity/100 + topic, type and repo effects + noise). */
  difficulty: number
  /** The difficulty a router could know at best: without the task's own noise term. */
  knowableDifficulty: number
  tokens: number
  /**
   * The task's luck, drawn once: whichever policy runs it meets the same draws (common random numbers),
   * so that a comparison between policies measures the policies and not the dice.
   */
  luck: { success: number; cost: number; duration: number }
}

const TYPES = [
  { name: 'bugfix', offset: 0.0 },
  { name: 'refactor', offset: -0.05 },
  { name: 'feature', offset: 0.08 },
  { name: 'docs', offset: -0.2 },
]
const REPOS = [
  { name: 'orb/api', offset: 0.0 },
  { name: 'orb/web', offset: -0.05 },
  { name: 'orb/engine', offset: 0.12 },
  { name: 'orb/infra', offset: 0.05 },
  { name: 'orb/sdk', offset: -0.08 },
]
const TOPICS = [
  { words: 'fix typo in error message and update comment', offset: -0.25 },
  { words: 'rename variable and tidy imports', offset: -0.2 },
  { words: 'add unit tests for the date parser', offset: -0.1 },
  { words: 'update readme examples and changelog', offset: -0.2 },
  { words: 'add pagination to the list endpoint', offset: 0.0 },
  { words: 'validate configuration file schema', offset: -0.05 },
  { words: 'cache the expensive lookup with expiry', offset: 0.05 },
  { words: 'migrate database schema with backfill', offset: 0.15 },
  { words: 'fix race condition in concurrent queue workers', offset: 0.25 },
  { words: 'distributed lock with leader election', offset: 0.3 },
  { words: 'optimise memory usage of the streaming parser', offset: 0.15 },
  { words: 'port authentication flow to oauth tokens', offset: 0.1 },
]

/** Standard deviation of a task's own difficulty, which nothing about the task reveals. */
const DIFFICULTY_NOISE = 0.06

/** The task generator: a fixed sequence for a seed, the same for every policy; its luck from `luck`. */
export function makeTasks(world: World, count: number, random: Random, luck: Random): SimTask[] {
  const tasks: SimTask[] = []
  for (let index = 0; index < count; index++) {
    const type = TYPES[Math.floor(random() * TYPES.length)]!
    const repo = REPOS[Math.floor(random() * REPOS.length)]!
    const topic = TOPICS[Math.floor(random() * TOPICS.length)]!
    // Beta-like complexity: mean complexityMean, most tasks simple.
    const u = (random() + random() + random()) / 3
    const skew = world.complexityMean / 50
    const complexity = Math.max(0, Math.min(100, Math.round(100 * u ** (1 / skew))))
    const knowableDifficulty = complexity / 100 + type.offset + repo.offset + topic.offset
    const difficulty = knowableDifficulty + DIFFICULTY_NOISE * sampleNormal(random)
    const tokens = Math.round((400 + 40 * complexity) * Math.exp(0.3 * sampleNormal(random)))
    tasks.push({
      index,
      task_type: type.name,
      repo: repo.name,
      complexity_score: complexity,
      estimated_tokens: Math.round(tokens * Math.exp(0.1 * sampleNormal(random))),
      task_description: `${topic.words} in ${repo.name.split('/')[1]} (${type.name} ${index % 97})`,
      difficulty,
      knowableDifficulty,
      tokens,
      luck: { success: luck(), cost: sampleNormal(luck), duration: sampleNormal(luck) },
    })
  }
  return tasks
}

/** Hidden success probability of a tier on a task (saturating logistic in skill - difficulty). */
export function successProbability(world: World, task: SimTask, tier: string): number {
  const t = world.tiers.find((x) => x.name === tier)!
  const drift = world.driftAt !== undefined && task.index >= world.driftAt ? (world.drift?.(tier) ?? 0) : 0
  return 0.97 / (1 + Math.exp(-14 * (t.skill + drift - task.difficulty)))
}

// The task's own noise term, N(0, 1) on a grid of 0.1 from −4 to 4, for averaging it out.
const NOISE_GRID = Array.from({ length: 81 }, (_, i) => -4 + 0.1 * i)
const NOISE_WEIGHTS = NOISE_GRID.map((z) => Math.exp((-z * z) / 2))
const NOISE_TOTAL = NOISE_WEIGHTS.reduce((a, w) => a + w, 0)

/** Success probability as far as the task's features tell it: the truth averaged over its own noise. */
export function knowableSuccessProbability(world: World, task: SimTask, tier: string): number {
  let sum = 0
  NOISE_GRID.forEach((z, i) => {
    const difficulty = task.knowableDifficulty + DIFFICULTY_NOISE * z
    sum += NOISE_WEIGHTS[i]! * successProbability(world, { ...task, difficulty }, tier)
  })
  return sum / NOISE_TOTAL
}

/** Expected cost of running a task on a tier (rate per 1k tokens). */
export function expectedCost(world: World, task: SimTask, tier: string): number {
  return (world.tiers.find((x) => x.name === tier)!.rate * task.tokens) / 1000
}

/** The outcome of running a task on a tier and pool: success, actual cost with noise, duration by pool speed. */
export function drawOutcome(
  world: World,
  task: SimTask,
  tier: string,
  pool: string,
): { success: boolean; actual_cost: number; duration_seconds: number } {
  const speed = world.pools.find((p) => p.name === pool)?.speed ?? 1
  return {
    success: task.luck.success < successProbability(world, task, tier),
    actual_cost: expectedCost(world, task, tier) * Math.exp(0.2 * task.luck.cost - 0.02),
    duration_seconds: speed * (5 + task.complexity_score) * Math.exp(0.3 * task.luck.duration),
  }
}

const TIERS = [
  { name: 'small', skill: 0.55, rate: 0.2 },
  { name: 'medium', skill: 0.75, rate: 0.6 },
  { name: 'large', skill: 0.95, rate: 2 },
]
const POOLS = [
  { name: 'fast', speed: 0.6 },
  { name: 'standard', speed: 1 },
  { name: 'batch', speed: 1.6 },
]

/** The worlds of the benchmark. */
export const WORLDS: World[] = [
  { name: 'stationary', tiers: TIERS, pools: POOLS, complexityMean: 25 },
  { name: 'hard-mix', tiers: TIERS, pools: POOLS, complexityMean: 50 },
  {
    name: 'drift (medium degrades half-way)',
    tiers: TIERS,
    pools: POOLS,
    complexityMean: 25,
    driftAt: 0.5,
    drift: (tier) => (tier === 'medium' ? -0.25 : 0),
  },
  {
    name: 'drift (small improves half-way)',
    tiers: TIERS,
    pools: POOLS,
    complexityMean: 25,
    driftAt: 0.5,
    drift: (tier) => (tier === 'small' ? 0.2 : 0),
  },
]
