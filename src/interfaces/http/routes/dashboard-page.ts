import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { App, RouteContext } from '../context.js'

// Same depth from src/ and dist/: <root>/{src,dist}/interfaces/http/routes/ -> <root>/assets/dashboard/
const ASSET_DIR = fileURLToPath(new URL('../../../../assets/dashboard/', import.meta.url))

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
}

interface Asset {
  body: string
  type: string
}

/** The web dashboard: `/` and its files under `/assets/`, the charting library served from node_modules. */
export function registerDashboardPageRoutes(app: App, ctx: RouteContext): void {
  const assets = loadAssets(ctx.options.dashboardRefreshSeconds)
  const page = (file: string) => {
    const asset = assets.get(file)!
    return new Response(asset.body, {
      headers: {
        'Content-Type': asset.type,
        'Cache-Control': file.endsWith('.html') ? 'no-cache' : 'public, max-age=300',
      },
    })
  }
  app.get('/', () => page('index.html'))
  // Only names read at start-up are served: no path from the request reaches the file system.
  app.get('/assets/:file', (c) => {
    const file = c.req.param('file')
    return assets.has(file) && file !== 'index.html' ? page(file) : c.notFound()
  })
  ctx.openapi.add({
    method: 'get',
    path: '/',
    summary: 'The web dashboard',
    tags: ['dashboard'],
    responses: { 200: { description: 'HTML page', mediaType: 'text/html' } },
  })
  ctx.openapi.add({
    method: 'get',
    path: '/assets/:file',
    summary: 'Files of the web dashboard (scripts, styles, the bundled charting library)',
    tags: ['dashboard'],
    responses: { 200: { description: 'Static file', mediaType: 'application/octet-stream' } },
  })
}

function loadAssets(refreshSeconds: number): Map<string, Asset> {
  const assets = new Map<string, Asset>()
  for (const file of readdirSync(ASSET_DIR)) {
    const type = TYPES[extname(file)]
    if (!type) continue
    let body = readFileSync(join(ASSET_DIR, file), 'utf8')
    if (file === 'index.html') body = body.replace('data-refresh="60"', `data-refresh="${refreshSeconds}"`)
    assets.set(file, { body, type })
  }
  const echarts = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js')
  assets.set('echarts.min.js', { body: readFileSync(echarts, 'utf8'), type: TYPES['.js']! })
  return assets
}
