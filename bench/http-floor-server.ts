// The HTTP floor for `bench:load`: the same stack as `orb-learning serve` (hono on @hono/node-server) and
// the same route, which reads the body from Node's stream as the server does, parses the JSON and answers
// 201, with no validation and no storage. What this reaches on a machine is the most the real server could.
// Prints `{"url": ...}` on stdout once listening, like `orb-learning serve --json`.
import type { AddressInfo } from 'node:net'
import { type HttpBindings, serve } from '@hono/node-server'
import { Hono } from 'hono'

let accepted = 0
const app = new Hono<{ Bindings: HttpBindings }>()
app.post('/v1/executions', async (c) => {
  const chunks: Buffer[] = []
  for await (const chunk of c.env.incoming) chunks.push(chunk as Buffer)
  JSON.parse(Buffer.concat(chunks).toString('utf8'))
  accepted++
  return c.json({ inserted: 1, updated: 0, rejected: [] }, 201)
})
app.get('/v1/status', (c) => c.json({ record_count: accepted, queue_depth: 0 }))
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`)
})
process.on('SIGTERM', () => server.close())
