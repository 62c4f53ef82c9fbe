import { z } from 'zod'
import { invalidInput } from '../errors.js'
import { MAX_NAME_LENGTH } from '../record.js'

/** The time ranges a query accepts, as in the original MCP tools' allow-list. */
export const RANGES = ['1h', '24h', '7d', '30d', '90d'] as const
/** A relative time range ending now. */
export type Range = (typeof RANGES)[number]
/** Bucket sizes of time series. */
export const BUCKETS = ['hour', 'day', 'week'] as const
/** The bucket size of a time series. */
export type Bucket = (typeof BUCKETS)[number]
/** The filters every query accepts; each reaches SQL as a bound value only. */
export const FILTERS = ['repo', 'model_tier', 'pool_type', 'task_type'] as const
/** One filter name. */
export type FilterName = (typeof FILTERS)[number]

/** Milliseconds of each range. */
export const RANGE_MS: Readonly<Record<Range, number>> = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
  '90d': 90 * 86_400_000,
}

/** Longest explicit since/until window accepted (10 years). */
export const MAX_WINDOW_MS = 10 * 366 * 86_400_000

const ISO_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const isoText = z.string().max(40).regex(ISO_DATE_TIME, 'must be an ISO 8601 date or date-time')
const filterText = z
  .string()
  .max(MAX_NAME_LENGTH)
  .refine((s) => s.trim().length > 0, 'must not be empty')

/** The parameters of every named query (HTTP query strings, CLI flags, MCP arguments share it). */
export const QueryParamsSchema = z.strictObject({
  range: z.enum(RANGES).optional(),
  since: isoText.optional(),
  until: isoText.optional(),
  repo: filterText.optional(),
  model_tier: filterText.optional(),
  pool_type: filterText.optional(),
  task_type: filterText.optional(),
  bucket: z.enum(BUCKETS).optional(),
})

/** Parameters as a caller gives them. */
export type QueryParams = z.input<typeof QueryParamsSchema>
/** One parameter name. */
export type QueryParamName = keyof QueryParams

/** Parameters after validation: the window is always explicit (ISO strings, UTC). */
export interface ResolvedParams {
  range?: Range
  since: string
  until: string
  repo?: string
  model_tier?: string
  pool_type?: string
  task_type?: string
  bucket?: Bucket
}

/** How a query's default window is chosen when the caller gives none. */
export type DefaultWindow = Range | '5m' | 'today' | 'all'

/** Validate caller parameters against the schema and the query's accepted names; resolve the window. */
export function resolveParams(
  input: unknown,
  accepted: readonly QueryParamName[],
  defaults: { window: DefaultWindow; bucket?: Bucket },
  now: Date,
): ResolvedParams {
  const raw = input ?? {}
  const parsed = QueryParamsSchema.safeParse(raw)
  if (!parsed.success) throw invalidInput(describeIssue(parsed.error.issues[0], raw), parsed.error.issues)
  const p = parsed.data
  for (const key of Object.keys(p) as QueryParamName[]) {
    if (p[key] !== undefined && !accepted.includes(key)) {
      throw invalidInput(`${key} is not a parameter of this query (accepted: ${accepted.join(', ')})`)
    }
  }
  if (p.range !== undefined && p.since !== undefined) {
    throw invalidInput(`give range or since, not both (range=${p.range}, since=${p.since})`)
  }
  const until = p.until === undefined ? now : parseIso('until', p.until)
  let since: Date
  if (p.since !== undefined) since = parseIso('since', p.since)
  else if (p.range !== undefined) since = new Date(until.getTime() - RANGE_MS[p.range])
  else since = defaultSince(defaults.window, until)
  if (since.getTime() >= until.getTime()) {
    throw invalidInput(
      `since must be before until, got since=${since.toISOString()} until=${until.toISOString()}`,
    )
  }
  if (until.getTime() - since.getTime() > MAX_WINDOW_MS && defaults.window !== 'all') {
    throw invalidInput(
      `the window from since to until must be at most 10 years, got ${since.toISOString()} to ${until.toISOString()}`,
    )
  }
  const resolved: ResolvedParams = { since: since.toISOString(), until: until.toISOString() }
  const range =
    p.range ?? (p.since === undefined && p.until === undefined ? rangeOf(defaults.window) : undefined)
  if (range !== undefined) resolved.range = range
  for (const f of FILTERS) if (p[f] !== undefined) resolved[f] = p[f]
  const bucket = p.bucket ?? defaults.bucket
  if (bucket !== undefined) resolved.bucket = bucket
  return resolved
}

function rangeOf(window: DefaultWindow): Range | undefined {
  return (RANGES as readonly string[]).includes(window) ? (window as Range) : undefined
}

function defaultSince(window: DefaultWindow, until: Date): Date {
  if (window === '5m') return new Date(until.getTime() - 5 * 60_000)
  if (window === 'today') {
    const start = new Date(until)
    start.setUTCHours(0, 0, 0, 0)
    return start.getTime() === until.getTime() ? new Date(until.getTime() - 86_400_000) : start
  }
  if (window === 'all') return new Date(Date.UTC(1970, 0, 1))
  return new Date(until.getTime() - RANGE_MS[window])
}

function parseIso(name: string, text: string): Date {
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) && text.length > 10
  const date = new Date(
    text.length === 10 ? `${text}T00:00:00Z` : hasZone ? text : `${text.replace(' ', 'T')}Z`,
  )
  if (Number.isNaN(date.getTime()))
    throw invalidInput(`${name} must be a valid ISO 8601 date-time, got ${JSON.stringify(text)}`)
  return date
}

function describeIssue(issue: z.core.$ZodIssue | undefined, input: unknown): string {
  if (issue === undefined) return 'invalid query parameters'
  if (issue.code === 'unrecognized_keys') {
    return `unknown parameter ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (accepted: ${Object.keys(QueryParamsSchema.shape).join(', ')})`
  }
  const key = String(issue.path[0] ?? 'params')
  const value = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[key] : input
  if (issue.code === 'invalid_value' && key === 'range') {
    return `range must be one of ${RANGES.join(', ')}, got ${JSON.stringify(value)}`
  }
  if (issue.code === 'invalid_value' && key === 'bucket') {
    return `bucket must be one of ${BUCKETS.join(', ')}, got ${JSON.stringify(value)}`
  }
  if (issue.path.length === 0) return `query parameters must be an object, got ${JSON.stringify(input)}`
  return `${key} ${issue.message.replace(/^Invalid input: /, '')}, got ${JSON.stringify(value)}`
}
