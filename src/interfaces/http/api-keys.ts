import { createHash, timingSafeEqual } from 'node:crypto'
import { invalidInput } from '../../errors.js'

/** What a key may do: read data, write records, or run ops and destructive work (admin implies both others). */
export type Scope = 'read' | 'write' | 'admin'

/** One configured API key: only its SHA-256 is kept in memory, never the key itself. */
export interface ApiKey {
  readonly name: string
  readonly sha256: Buffer
  readonly scopes: ReadonlySet<Scope>
  /** Requests per second this key may make (429 beyond); undefined = unlimited. */
  readonly ratePerSecond: number | undefined
}

/** Shortest accepted key, in characters. */
export const MIN_KEY_LENGTH = 16
const SCOPES: readonly Scope[] = ['read', 'write', 'admin']

/**
 * Parse API keys from config text: a JSON array `[{"name","key"|"sha256","scopes":["write"],"rate_per_second"?}]`
 * or the short form `scope+scope:KEY,scope:KEY`. Throws `invalid_input` naming the entry; never echoes a key.
 * @example parseApiKeys('write:k_4f8a9c2e1b7d6a3f,admin:k_9d8c7b6a5f4e3d2c')
 */
export function parseApiKeys(text: string): ApiKey[] {
  const trimmed = text.trim()
  if (trimmed === '') return []
  if (trimmed.startsWith('[')) {
    let entries: unknown
    try {
      entries = JSON.parse(trimmed)
    } catch (error) {
      throw invalidInput(`API keys: not valid JSON (${(error as Error).message})`)
    }
    if (!Array.isArray(entries))
      throw invalidInput('API keys: expected a JSON array of {name, key|sha256, scopes}')
    return entries.map((entry, i) => fromJson(entry, i))
  }
  return trimmed.split(/[\s,]+/).map((entry, i) => {
    const at = entry.lastIndexOf(':')
    if (at <= 0) throw invalidInput(`API key entry ${i + 1}: expected SCOPES:KEY (e.g. write+read:KEY)`)
    return makeKey(`key-${i + 1}`, entry.slice(0, at).split('+'), { key: entry.slice(at + 1) }, undefined, i)
  })
}

/** The key matching `presented`, comparing SHA-256 digests in constant time against every key. */
export function findApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = sha256(presented)
  let found: ApiKey | undefined
  for (const key of keys) {
    // No early exit: the time taken does not depend on which key (if any) matched.
    if (timingSafeEqual(digest, key.sha256) && found === undefined) found = key
  }
  return found
}

/** Whether a key's scopes allow `scope` (admin allows everything). */
export function hasScope(scopes: ReadonlySet<Scope>, scope: Scope): boolean {
  return scopes.has(scope) || scopes.has('admin')
}

function fromJson(entry: unknown, i: number): ApiKey {
  if (typeof entry !== 'object' || entry === null)
    throw invalidInput(`API key entry ${i + 1}: expected an object`)
  const e = entry as Record<string, unknown>
  const name = typeof e.name === 'string' && e.name.trim() !== '' ? e.name : `key-${i + 1}`
  if (!Array.isArray(e.scopes))
    throw invalidInput(`API key ${name}: scopes must be an array of read, write, admin`)
  const rate = e.rate_per_second
  if (rate !== undefined && (typeof rate !== 'number' || !(rate > 0)))
    throw invalidInput(`API key ${name}: rate_per_second must be a number > 0`)
  return makeKey(name, e.scopes, { key: e.key, sha256: e.sha256 }, rate as number | undefined, i)
}

function makeKey(
  name: string,
  scopes: unknown[],
  secret: { key?: unknown; sha256?: unknown },
  ratePerSecond: number | undefined,
  i: number,
): ApiKey {
  const bad = scopes.filter((s) => !SCOPES.includes(s as Scope))
  if (scopes.length === 0 || bad.length > 0)
    throw invalidInput(
      `API key ${name}: scopes must be among read, write, admin, got ${JSON.stringify(bad.length ? bad : scopes)}`,
    )
  let digest: Buffer
  if (typeof secret.sha256 === 'string') {
    if (!/^[0-9a-f]{64}$/i.test(secret.sha256))
      throw invalidInput(`API key ${name}: sha256 must be 64 hex characters`)
    digest = Buffer.from(secret.sha256, 'hex')
  } else if (typeof secret.key === 'string') {
    if (secret.key.length < MIN_KEY_LENGTH)
      throw invalidInput(
        `API key ${name} (entry ${i + 1}): a key must have at least ${MIN_KEY_LENGTH} characters`,
      )
    digest = sha256(secret.key)
  } else {
    throw invalidInput(`API key ${name}: give key or sha256`)
  }
  return Object.freeze({ name, sha256: digest, scopes: new Set(scopes as Scope[]), ratePerSecond })
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}
