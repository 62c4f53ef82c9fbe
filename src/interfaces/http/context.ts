import type { Hono } from 'hono'
import type { Store } from '../../store.js'
import { DEFAULT_OTLP_MAPPING, type OtlpMapping } from '../otlp/model-pricing.js'
import type { ApiKey } from './api-keys.js'
import type { HttpMetrics } from './metrics.js'
import type { OpenApiRegistry } from './openapi.js'

/** Options of the HTTP app; every field has a default. */
export interface AppOptions {
  /** Largest accepted request body, in bytes. Default 5 MB. */
  bodyLimitBytes: number
  /** Auto-refresh interval the dashboard starts with, in seconds (0 = off). Default 60. */
  dashboardRefreshSeconds: number
  /** API keys; none = no auth (then `startServer` binds loopback only). Default none. */
  apiKeys: readonly ApiKey[]
  /** Path prefixes that need an API key when keys are set. Default /v1, /mcp, /metrics. */
  authPaths: readonly string[]
  /** Model → tier and price tables of OTLP ingest. Default DEFAULT_OTLP_MAPPING. */
  otlpMapping: OtlpMapping
  /** API requests (/v1, /mcp) handled at once; beyond, 503 with Retry-After. Default 256. */
  maxInFlight: number
}

/** The defaults of `AppOptions`. */
export const APP_DEFAULTS: Readonly<AppOptions> = Object.freeze({
  bodyLimitBytes: 5 * 1024 * 1024,
  dashboardRefreshSeconds: 60,
  apiKeys: [],
  authPaths: ['/v1', '/mcp', '/metrics'],
  otlpMapping: DEFAULT_OTLP_MAPPING,
  maxInFlight: 256,
})

/** What every route module gets: the store, the options, the OpenAPI registry and the metrics. */
export interface RouteContext {
  readonly store: Store
  readonly options: Readonly<AppOptions>
  readonly openapi: OpenApiRegistry
  readonly metrics: HttpMetrics
}

/** The hono app type every route module registers on. */
export type App = Hono

/** A route module: `registerXRoutes(app, ctx)` adds its endpoints and describes them in `ctx.openapi`. */
export type RouteModule = (app: App, ctx: RouteContext) => void
