import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { routePath } from 'hono/route'
import { secureHeaders } from 'hono/secure-headers'
import { LearningError } from '../../errors.js'
import type { Store } from '../../store.js'
import { authMiddleware } from './auth.js'
import { APP_DEFAULTS, type AppOptions, type RouteContext, type RouteModule } from './context.js'
import { errorBody, respondError } from './http-error.js'
import { inFlightLimit } from './in-flight-limit.js'
import { HttpMetrics } from './metrics.js'
import { OpenApiRegistry } from './openapi.js'
import { bodySizeLimit } from './request.js'
import { registerCoreRoutes } from './routes/core.js'
import { registerDashboardApiRoutes } from './routes/dashboard.js'
import { registerDashboardPageRoutes } from './routes/dashboard-page.js'
import { registerExecutionRoutes } from './routes/executions.js'
import { registerLearningRoutes } from './routes/learning.js'
import { registerMcpRoutes } from './routes/mcp.js'
import { registerMetricsRoutes } from './routes/metrics.js'
import { registerOpenApiRoutes } from './routes/openapi.js'
import { registerOpsRoutes } from './routes/ops.js'
import { registerOtlpRoutes } from './routes/otlp.js'
import { registerQualityRoutes } from './routes/quality.js'
import { registerQueryRoutes } from './routes/queries.js'
import { registerSimilarRoutes } from './routes/similar.js'

/**
 * Every route module of the server, in registration order. Add an area: one file in `routes/`
 * exporting `register<Area>Routes(app, ctx)`, one line here.
 */
export const ROUTE_MODULES: readonly RouteModule[] = [
  registerCoreRoutes,
  registerExecutionRoutes,
  registerQueryRoutes,
  registerQualityRoutes,
  registerSimilarRoutes,
  registerDashboardApiRoutes,
  registerDashboardPageRoutes,
  registerMetricsRoutes,
  registerLearningRoutes,
  registerOpenApiRoutes,
  registerMcpRoutes,
  registerOtlpRoutes,
  registerOpsRoutes,
]

/** Options of `createApp`: the app options plus an existing metrics registry to share. */
export interface CreateAppOptions extends Partial<AppOptions> {
  /** Metrics to record into; default a new registry listening to `store`. */
  metrics?: HttpMetrics
}

/**
 * The HTTP API, dashboard and metrics over an open store, as a hono app (serve it with `startServer`).
 * @example
 * const app = createApp(store)
 * const res = await app.request('/health')
 */
export function createApp(store: Store, options: CreateAppOptions = {}): Hono {
  const { metrics = new HttpMetrics(store), ...rest } = options
  const resolved: AppOptions = { ...APP_DEFAULTS, ...definedOnly(rest) }
  const ctx: RouteContext = {
    store,
    options: Object.freeze(resolved),
    openapi: new OpenApiRegistry(),
    metrics,
  }
  const app = new Hono()
  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    const route = routePath(c)
    const label = route === '*' || route === '/*' || route === '' ? 'unmatched' : route
    metrics.observeRequest(c.req.method, label, c.res.status, (performance.now() - started) / 1000)
  })
  app.use('*', secureHeaders(SECURITY_HEADERS))
  app.use('*', inFlightLimit(resolved.maxInFlight, ['/v1', '/mcp']))
  app.use('*', authMiddleware({ apiKeys: resolved.apiKeys, protectedPaths: resolved.authPaths }))
  app.use(
    '*',
    bodySizeLimit(resolved.bodyLimitBytes, (c) =>
      c.json(
        errorBody('invalid_input', `request body exceeds the limit of ${resolved.bodyLimitBytes} bytes`, {
          limit_bytes: resolved.bodyLimitBytes,
        }),
        413,
      ),
    ),
  )
  app.onError((error, c) => {
    if (error instanceof HTTPException && !(error.cause instanceof LearningError)) {
      const code = error.status >= 500 ? 'internal' : error.status === 404 ? 'not_found' : 'invalid_input'
      return c.json(errorBody(code, error.message || 'request refused'), error.status)
    }
    return respondError(c, error instanceof HTTPException ? error.cause : error)
  })
  app.notFound((c) =>
    c.json(
      errorBody(
        'not_found',
        `no endpoint ${c.req.method} ${new URL(c.req.url).pathname}; see /v1/openapi.json`,
      ),
      404,
    ),
  )
  for (const register of ROUTE_MODULES) register(app, ctx)
  return app
}

// The dashboard loads only its own scripts and styles (charting library served locally, no CDN).
const SECURITY_HEADERS: NonNullable<Parameters<typeof secureHeaders>[0]> = {
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
  },
  crossOriginEmbedderPolicy: false,
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
