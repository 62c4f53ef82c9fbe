import type { App, RouteContext } from '../context.js'

/** `GET /metrics`: Prometheus exposition text. */
export function registerMetricsRoutes(app: App, ctx: RouteContext): void {
  app.get('/metrics', async (c) =>
    c.body(await ctx.metrics.render(), 200, { 'Content-Type': ctx.metrics.registry.contentType }),
  )
  ctx.openapi.add({
    method: 'get',
    path: '/metrics',
    summary:
      'Prometheus metrics: ingest counters, write queue, commit latency, HTTP latency, database and tier gauges',
    tags: ['ops'],
    responses: { 200: { description: 'Prometheus text exposition format', mediaType: 'text/plain' } },
  })
}
