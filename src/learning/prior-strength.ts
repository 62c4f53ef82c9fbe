import { estimatePriorStrength } from './beta.js'
import type { Cell } from './option-stats.js'

/**
 * Empirical-Bayes prior strength of each pooling level 1..4, estimated from how much the groups of that
 * level spread around their parents (see estimatePriorStrength).
 */
export function levelPriorStrengths(entries: Iterable<[string, Cell]>): number[] {
  const byKey = new Map<string, Cell>()
  for (const [key, cell] of entries) if (!key.startsWith('\u0001')) byKey.set(key, cell)
  const groups: { successes: number; trials: number; parentMean: number }[][] = [[], [], [], []]
  for (const [key, cell] of byKey) {
    const parts = key.split('\u0000')
    const level = parts.length - 1
    if (level < 1) continue
    const parentKey =
      level === 4 ? [parts[0], ...parts.slice(2)].join('\u0000') : parts.slice(0, -1).join('\u0000')
    const parent = byKey.get(parentKey)
    if (!parent) continue
    const trials = cell.s + cell.f
    groups[level - 1]!.push({
      successes: cell.s,
      trials,
      parentMean: (parent.s + 1) / (parent.s + parent.f + 2),
    })
  }
  return groups.map((g) => estimatePriorStrength(g))
}
