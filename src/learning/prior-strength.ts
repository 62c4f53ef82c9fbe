import { estimatePriorStrength } from './beta.js'
import { type BucketCounts, fitComplexityTrend, trendMean } from './complexity-trend.js'
import type { Cell } from './option-stats.js'

/**
 * Empirical-Bayes prior strength of each pooling level 1..4, estimated from how much the groups of that
 * level spread around their parents (see estimatePriorStrength). A complexity bucket's parent is its
 * tier × task_type's complexity trend (`slopeSd` its slope's prior, as in the model).
 */
export function levelPriorStrengths(entries: Iterable<[string, Cell]>, slopeSd: number): number[] {
  const byKey = new Map<string, Cell>()
  for (const [key, cell] of entries) if (!key.startsWith('\u0001')) byKey.set(key, cell)
  const siblings = new Map<string, BucketCounts[]>()
  for (const [key, cell] of byKey) {
    const parts = key.split('\u0000')
    if (parts.length !== 3) continue
    const parentKey = parts.slice(0, 2).join('\u0000')
    const list = siblings.get(parentKey) ?? []
    list.push({ bucket: Number(parts[2]), s: cell.s, f: cell.f })
    siblings.set(parentKey, list)
  }
  const groups: { successes: number; trials: number; parentMean: number }[][] = [[], [], [], []]
  const trends = new Map<string, ReturnType<typeof fitComplexityTrend>>()
  for (const [key, cell] of byKey) {
    const parts = key.split('\u0000')
    const level = parts.length - 1
    if (level < 1) continue
    const parentKey =
      level === 4 ? [parts[0], ...parts.slice(2)].join('\u0000') : parts.slice(0, -1).join('\u0000')
    const parent = byKey.get(parentKey)
    if (!parent) continue
    let parentMean = (parent.s + 1) / (parent.s + parent.f + 2)
    if (level === 2) {
      let trend = trends.get(parentKey)
      if (!trend) {
        trend = fitComplexityTrend(siblings.get(parentKey) ?? [], parentMean, slopeSd)
        trends.set(parentKey, trend)
      }
      parentMean = trendMean(trend, Number(parts[2]))
    }
    groups[level - 1]!.push({ successes: cell.s, trials: cell.s + cell.f, parentMean })
  }
  return groups.map((g) => estimatePriorStrength(g))
}
