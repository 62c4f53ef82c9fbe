import type { Context, MiddlewareHandler } from 'hono'
import { LearningError } from '../../errors.js'
import { type ApiKey, findApiKey, hasScope, type Scope } from './api-keys.js'
import { errorBody } from './http-error.js'

/** Options of the auth middleware. */
export interface AuthOptions {
  /** Configured keys; none = no auth (the server then only binds loopback). */
  apiKeys: readonly ApiKey[]
  /** Path prefixes that need a key. Default `/v1`, `/mcp`, `/metrics`. */
  protectedPaths?: readonly string[]
}

/** Who made a request: the key's name and scopes (all scopes when auth is off). */
export interface Principal {
  readonly name: string
  readonly scopes: ReadonlySet<Scope>
}

/** Path prefixes whose every method needs the admin scope (ops, backups, retention). */
export const ADMIN_PATH_PREFIXES: readonly string[] = ['/v1/ops', '/v1/admin', '/v1/backups', '/v1/retention']
/** POST endpoints that only ask (search, recommend, queries with a body): the read scope is enough. */
export const READ_POST_PATHS: readonly string[] = [
  '/v1/similar',
  '/v1/recommendations',
  '/v1/query',
  '/v1/queries',
]
const DEFAULT_PROTECTED = ['/v1', '/mcp', '/metrics']
const OPEN: Principal = Object.freeze({ name: 'local', scopes: new Set<Scope>(['read', 'write', 'admin']) })
const ANONYMOUS: Principal = Object.freeze({ name: 'anonymous', scopes: new Set<Scope>(['read']) })

declare module 'hono' {
  interface ContextVariableMap {
    orbPrincipal: Principal
  }
}

/** The principal of a request: its key's, all scopes when auth is off, read-only when it passed no auth. */
export function principalOf(c: Context): Principal {
  return c.get('orbPrincipal') ?? ANONYMOUS
}

/** The scope a request needs: admin for ops paths and DELETE, read for GET/HEAD and /mcp, write otherwise. */
export function requiredScope(method: string, path: string): Scope {
  if (ADMIN_PATH_PREFIXES.some((p) => underPrefix(path, p)) || method === 'DELETE') return 'admin'
  // MCP checks each tool's own scope; reaching the endpoint needs read.
  if (underPrefix(path, '/mcp') || method === 'GET' || method === 'HEAD' || method === 'OPTIONS')
    return 'read'
  if (READ_POST_PATHS.some((p) => underPrefix(path, p))) return 'read'
  return 'write'
}

/**
 * Check `Authorization: Bearer KEY` (or `X-API-Key`) on protected paths: 401 without a valid key, 403 when
 * its scopes do not cover the request, 429 with Retry-After past the key's rate. Keys are never logged or echoed.
 */
export function authMiddleware(options: AuthOptions): MiddlewareHandler {
  const keys = options.apiKeys
  const prefixes = options.protectedPaths ?? DEFAULT_PROTECTED
  const buckets = new Map<ApiKey, TokenBucket>()
  return async (c, next) => {
    if (keys.length === 0 || !prefixes.some((p) => underPrefix(c.req.path, p))) {
      c.set('orbPrincipal', keys.length === 0 ? OPEN : ANONYMOUS)
      return next()
    }
    const presented = presentedKey(c)
    if (presented === undefined) {
      c.header('WWW-Authenticate', 'Bearer realm="orb-learning"')
      return c.json(
        errorBody('invalid_input', 'missing API key: send Authorization: Bearer <key> (or X-API-Key)'),
        401,
      )
    }
    const key = findApiKey(keys, presented)
    if (!key) {
      c.header('WWW-Authenticate', 'Bearer realm="orb-learning", error="invalid_token"')
      return c.json(errorBody('invalid_input', 'invalid API key'), 401)
    }
    const scope = requiredScope(c.req.method, c.req.path)
    if (!hasScope(key.scopes, scope)) {
      return c.json(
        errorBody(
          'invalid_input',
          `API key '${key.name}' lacks the '${scope}' scope needed for ${c.req.method} ${c.req.path}`,
        ),
        403,
      )
    }
    if (key.ratePerSecond !== undefined) {
      let bucket = buckets.get(key)
      if (!bucket) {
        bucket = new TokenBucket(key.ratePerSecond)
        buckets.set(key, bucket)
      }
      const wait = bucket.take()
      if (wait > 0) {
        c.header('Retry-After', String(Math.ceil(wait / 1000)))
        return c.json(
          errorBody(
            'unavailable',
            `API key '${key.name}' is over its rate of ${key.ratePerSecond} requests/s; retry later`,
          ),
          429,
        )
      }
    }
    c.set('orbPrincipal', { name: key.name, scopes: key.scopes })
    return next()
  }
}

/**
 * Refuse to listen beyond loopback without API keys.
 * @example assertSafeBind('0.0.0.0', []) // throws: refusing to listen on 0.0.0.0 without API keys ...
 */
export function assertSafeBind(host: string, apiKeys: readonly ApiKey[]): void {
  if (apiKeys.length > 0 || isLoopback(host)) return
  throw new LearningError(
    'invalid_input',
    `refusing to listen on ${host} without API keys: set ORB_LEARNING_API_KEYS (or --api-keys-file), or bind 127.0.0.1`,
  )
}

/** Whether a host name or address only reaches this machine. */
export function isLoopback(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
  return (
    h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1'
  )
}

function presentedKey(c: Context): string | undefined {
  const auth = c.req.header('authorization')
  if (auth !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth)
    return match?.[1]
  }
  const header = c.req.header('x-api-key')
  return header === undefined || header === '' ? undefined : header
}

function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`)
}

// Per-key token bucket: `rate` tokens per second, bursts up to one second's worth.
class TokenBucket {
  #tokens: number
  #at = performance.now()
  constructor(readonly rate: number) {
    this.#tokens = rate
  }
  /** Take a token; returns 0 on success, else the ms until one is available. */
  take(): number {
    const now = performance.now()
    this.#tokens = Math.min(this.rate, this.#tokens + ((now - this.#at) / 1000) * this.rate)
    this.#at = now
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return 0
    }
    return ((1 - this.#tokens) / this.rate) * 1000
  }
}
