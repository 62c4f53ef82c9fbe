import { type BetaPosterior, betaMean, betaVariance } from './beta.js'
import { type Random, sampleBeta } from './random.js'
import { allowedOptions, applyPolicy, type RoutePolicy, type Scored } from './route-policy.js'

/** One option as the sampler sees it. */
export interface SamplerOption {
  tier: string
  posterior: BetaPosterior
  cost: number
  duration: number
}

/** A choice with the probability the (randomised) policy had of making it. */
export interface SampledChoice {
  index: number
  /** Probability of choosing this option. */
  propensity: number
  /** Probability of every option, same order as the input. */
  probabilities: number[]
  /** Whether the choice came from the exploration share (the uniform floor or the favoured tier). */
  uniform: boolean
}

/** A tier explored beyond the uniform floor: its greedy option runs on `share` more of the decisions. */
export interface FavouredTier {
  tier: string
  share: number
}

/**
 * Thompson sampling with a uniform-over-tiers floor: with probability `floor` a tier is picked uniformly
 * (then its greedy option), with probability `favoured.share` the favoured tier's greedy option runs, else
 * one posterior draw per option goes through the policy. The propensity is the exploration's probability
 * of the option plus (1 − floor − share)·P(Thompson picks it), the latter by Monte Carlo over `draws` draws.
 */
export function thompsonChoose(
  options: readonly SamplerOption[],
  policy: RoutePolicy,
  random: Random,
  settings: { floor: number; draws: number; scale?: number; barSd?: number; favoured?: FavouredTier },
): SampledChoice {
  const n = options.length
  const bar = toleranceBar(options, policy, settings.barSd)
  // One array of scored options, redrawn in place: hundreds of draws per decision allocate nothing.
  const drawn = options.map((o) => scored(o, 0))
  // Scaling α and β by 1/scale² keeps the mean and multiplies the standard deviation by ≈ scale.
  const strength = 1 / (settings.scale ?? 1) ** 2
  const draw = (): number => {
    for (let i = 0; i < n; i++) {
      const { alpha, beta } = options[i]!.posterior
      drawn[i]!.success = sampleBeta(alpha * strength, beta * strength, random)
    }
    return applyPolicy(policy, drawn, bar)
  }
  const counts = new Array<number>(n).fill(0)
  for (let d = 0; d < settings.draws; d++) counts[draw()]!++
  const explored = explorationShare(options, policy, settings)
  const exploring = explored.reduce((a, b) => a + b, 0)
  const probabilities = counts.map(
    (c, i) => (1 - exploring) * ((c + 0.5 / n) / (settings.draws + 0.5)) + explored[i]!,
  )
  const total = probabilities.reduce((a, b) => a + b, 0)
  for (let i = 0; i < n; i++) probabilities[i]! /= total
  const uniform = random() < exploring
  let index: number
  if (uniform) {
    const u = random() * exploring
    let acc = 0
    index = n - 1
    for (let i = 0; i < n; i++) {
      acc += explored[i]!
      if (u < acc) {
        index = i
        break
      }
    }
  } else {
    index = draw()
  }
  return { index, propensity: probabilities[index]!, probabilities, uniform }
}

/** The greedy choice: the policy applied to the posterior means, against the bar of toleranceBar. */
export function greedyChoose(options: readonly SamplerOption[], policy: RoutePolicy, barSd = 0): number {
  return applyPolicy(
    policy,
    options.map((o) => scored(o, betaMean(o.posterior))),
    toleranceBar(options, policy, barSd),
  )
}

/**
 * What cheapest_within_tolerance measures the tolerance from: the highest posterior mean less `barSd` of
 * its posterior standard deviations, among the options within max_cost (undefined for max_utility). With
 * barSd > 0 an option qualifies by coming within the tolerance of what the best option is known to reach,
 * not of its point estimate (docs/learning.md, Model version 10).
 */
export function toleranceBar(
  options: readonly SamplerOption[],
  policy: RoutePolicy,
  barSd = 0,
): number | undefined {
  if (policy.mode !== 'cheapest_within_tolerance' || options.length === 0) return undefined
  return Math.max(
    ...allowedOptions(policy, options).map((i) => {
      const p = options[i]!.posterior
      return betaMean(p) - barSd * Math.sqrt(betaVariance(p))
    }),
  )
}

/**
 * Probability of each option from exploration: `floor` spread evenly over the tiers, plus the favoured
 * tier's share, each tier's going to its greedy option.
 */
function explorationShare(
  options: readonly SamplerOption[],
  policy: RoutePolicy,
  settings: { floor: number; barSd?: number; favoured?: FavouredTier },
): number[] {
  const tiers = [...new Set(options.map((o) => o.tier))]
  const share = new Array<number>(options.length).fill(0)
  for (const tier of tiers) {
    const members = options.map((o, i) => [o, i] as const).filter(([o]) => o.tier === tier)
    const best = greedyChoose(
      members.map(([o]) => o),
      policy,
      settings.barSd,
    )
    const favoured = settings.favoured?.tier === tier ? settings.favoured.share : 0
    share[members[best]![1]] = settings.floor / tiers.length + favoured
  }
  return share
}

function scored(o: SamplerOption, success: number): Scored {
  return { success, cost: o.cost, duration: o.duration }
}
