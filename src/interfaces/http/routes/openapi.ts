import type { App, RouteContext } from '../context.js'

/** `GET /v1/openapi.json`: the OpenAPI 3.1 document of every registered endpoint. */
export function registerOpenApiRoutes(app: App, ctx: RouteContext): void {
  let cached: Record<string, unknown> | undefined
  app.get('/v1/openapi.json', (c) => {
    cached ??= ctx.openapi.document({
      title: 'orb-learning',
      version: '0.1.0',
      description: 'Execution telemetry for AI-agent orchestrators: record, analyse, search, route.',
    })
    return c.json(cached)
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tags: ['core'],
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  })
}
