import { z } from 'zod'

/** A model-name pattern (`*` matches anything, case-insensitive, whole name) and the tier it maps to. */
export interface ModelTierRule {
  match: string
  tier: string
}

/** A model-name pattern and its price in USD per million tokens. */
export interface ModelPrice {
  match: string
  input_per_million: number
  output_per_million: number
}

/** The configurable tables of the span → execution mapping. */
export interface OtlpMapping {
  /** First matching rule wins; no match leaves the tier 'unknown'. */
  modelTiers: readonly ModelTierRule[]
  /** First matching entry wins; no match leaves the cost at what the spans said (else 0). */
  prices: readonly ModelPrice[]
}

const pattern = z.string().min(1).max(200)

/** Schema of an OTLP mapping config file (JSON): `{ "modelTiers": [...], "prices": [...] }`. */
export const OtlpMappingSchema = z.strictObject({
  modelTiers: z.array(z.strictObject({ match: pattern, tier: z.string().min(1).max(200) })).max(1000),
  prices: z
    .array(
      z.strictObject({
        match: pattern,
        input_per_million: z.number().min(0),
        output_per_million: z.number().min(0),
      }),
    )
    .max(1000),
})

/**
 * Default tables: examples to replace with your own (prices are list prices at the time of writing and
 * change; configure them with `--otlp-config FILE`).
 */
export const DEFAULT_OTLP_MAPPING: OtlpMapping = Object.freeze({
  modelTiers: [
    { match: '*haiku*', tier: 'small' },
    { match: '*mini*', tier: 'small' },
    { match: '*nano*', tier: 'small' },
    { match: '*flash*', tier: 'small' },
    { match: '*sonnet*', tier: 'medium' },
    { match: 'gpt-4o*', tier: 'medium' },
    { match: 'gpt-4.1*', tier: 'medium' },
    { match: '*opus*', tier: 'large' },
    { match: 'o1*', tier: 'large' },
    { match: 'o3*', tier: 'large' },
    { match: 'gpt-5*', tier: 'large' },
  ],
  prices: [
    { match: '*opus*', input_per_million: 15, output_per_million: 75 },
    { match: '*sonnet*', input_per_million: 3, output_per_million: 15 },
    { match: '*haiku*', input_per_million: 0.8, output_per_million: 4 },
    { match: 'gpt-4o-mini*', input_per_million: 0.15, output_per_million: 0.6 },
    { match: 'gpt-4o*', input_per_million: 2.5, output_per_million: 10 },
  ],
})

/** The tier of a model name by the first matching rule. */
export function tierForModel(model: string, rules: readonly ModelTierRule[]): string | undefined {
  return rules.find((r) => matches(r.match, model))?.tier
}

/** The cost in USD of a model call's tokens by the first matching price, or undefined when none matches. */
export function priceTokens(
  model: string,
  inputTokens: number,
  outputTokens: number,
  prices: readonly ModelPrice[],
): number | undefined {
  const price = prices.find((p) => matches(p.match, model))
  if (!price) return undefined
  return (inputTokens * price.input_per_million + outputTokens * price.output_per_million) / 1_000_000
}

function matches(glob: string, name: string): boolean {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${source}$`, 'i').test(name)
}
