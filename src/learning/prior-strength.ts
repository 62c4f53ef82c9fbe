import { estimatePriorStrength } from './beta.js'
import { type BucketCounts, type ComplexityTrend, fitComplexityTrend, trendMean } from './complexity-trend.js'
import type { Cell } from './option-stats.js'

/**
 * Empirical-Bayes prior strength of each pooling level 1..4, estimated from how much the groups of that
 * level spread around their parents (see estimatePriorStrength). A complexity bucket's parent is its
 * tier × task_type's complexity trend (`slopeSd` its slope's prior, as in the model).
 */
export function levelPriorStrengths(entries: Iterable<[string, Cell]>, slopeSd: number): number[] {
  const byKey = new Map<string, Cell>()
  for (const [key, cell] of entries) if (!key.startsWith('\u0001')) byKey.set(key, cell)
  const rawMean = (c: Cell) => (c.s + 1) / (c.s + c.f + 2)
  // The buckets of every tier × task_type, then each one's trend.
  const buckets = new Map<string, BucketCounts[]>()
  for (const [key, cell] of byKey) {
    const parts = key.split('\u0000')
    if (parts.length !== 3) continue
    const parentKey = parts.slice(0, 2).join('\u0000')
    const bucket = { bucket: Number(parts[2]), s: cell.s, f: cell.f }
    const list = buckets.get(parentKey)
    if (list) list.push(bucket)
    else buckets.set(parentKey, [bucket])
  }
  const trends = new Map<string, ComplexityTrend>()
  for (const [parentKey, list] of buckets) {
    const parent = byKey.get(parentKey)
    if (parent) trends.set(parentKey, fitComplexityTrend(list, rawMean(parent), slopeSd))
  }
  const groups: { successes: number; trials: number; parentMean: number }[][] = [[], [], [], []]
  for (const [key, cell] of byKey) {
    const parts = key.split('\u0000')
    const level = parts.length - 1
    if (level < 1) continue
    const parentKey =
      level === 4 ? [parts[0], ...parts.slice(2)].join('\u0000') : parts.slice(0, -1).join('\u0000')
    const parent = byKey.get(parentKey)
    if (!parent) continue
    const trend = level === 2 ? trends.get(parentKey) : undefined
    const parentMean = trend ? trendMean(trend, Number(parts[2])) : rawMean(parent)
    groups[level - 1]!.push({ successes: cell.s, trials: cell.s + cell.f, parentMean })
  }
  return groups.map((g) => estimatePriorStrength(g))
}
