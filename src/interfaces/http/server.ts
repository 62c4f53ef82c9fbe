import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { LearningError } from '../../errors.js'
import type { Store } from '../../store.js'
import { type CreateAppOptions, createApp } from './app.js'
import { assertSafeBind } from './auth.js'
import { HttpMetrics } from './metrics.js'

/** Options of `startServer`: where to listen, plus the app options. */
export interface ServerOptions extends Omit<CreateAppOptions, 'metrics'> {
  store: Store
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string
  /** TCP port; 0 picks a free one. Default 8080. */
  port?: number
  /** Longest wait for open requests at close before their connections are cut, in ms. Default 10,000. */
  shutdownTimeoutMs?: number
}

/** A listening server: its URL and how to stop it. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  readonly url: string
  readonly port: number
  /** Stop accepting, let open requests (and the writes they wait for) finish, then release the port. */
  close(): Promise<void>
}

/**
 * Serve the HTTP API, dashboard and metrics for `store`. The caller keeps owning the store.
 * @example
 * const server = await startServer({ store, port: 0 })
 * console.log(server.url)
 * await server.close()
 * await store.close()
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { store, host = '127.0.0.1', port = 8080, shutdownTimeoutMs = 10_000, ...appOptions } = options
  assertSafeBind(host, appOptions.apiKeys ?? [])
  const metrics = new HttpMetrics(store)
  const app = createApp(store, { ...appOptions, metrics })
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s as Server)) as Server
    s.once('error', (error: NodeJS.ErrnoException) => {
      metrics.dispose()
      reject(listenError(error, host, port))
    })
  })
  const address = server.address() as AddressInfo
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined
  return {
    url: `http://${shown}:${address.port}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs)
        // Keep-alive connections become idle as their last response is sent: close them as they do.
        const sweep = setInterval(() => server.closeIdleConnections(), 50)
        server.close(() => {
          clearTimeout(timer)
          clearInterval(sweep)
          metrics.dispose()
          resolve()
        })
        server.closeIdleConnections()
      })
      return closing
    },
  }
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') {
    return new LearningError(
      'unavailable',
      `port ${port} on ${host} is already in use; pass --port N (or --port 0 for any free port), env ORB_LEARNING_PORT`,
      { cause: error },
    )
  }
  if (error.code === 'EACCES') {
    return new LearningError(
      'unavailable',
      `not allowed to listen on ${host}:${port}; use a port above 1024`,
      {
        cause: error,
      },
    )
  }
  return new LearningError('unavailable', `cannot listen on ${host}:${port}: ${error.message}`, {
    cause: error,
  })
}

/**
 * On SIGTERM or SIGINT: stop the server and `stopJobs` (maintenance jobs reach a safe point), drain the write
 * queue by closing the store, then call `onClosed`. A second signal while shutting down exits at once.
 * Returns a function that removes the handlers.
 */
export function closeOnSignals(
  server: RunningServer,
  store: Store,
  onClosed: () => void,
  stopJobs: () => Promise<void> = async () => undefined,
): () => void {
  let stopping = false
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(signal === 'SIGINT' ? 130 : 143)
    stopping = true
    void Promise.allSettled([server.close(), stopJobs()])
      .then(() => store.close())
      .finally(onClosed)
  }
  process.on('SIGTERM', handler)
  process.on('SIGINT', handler)
  return () => {
    process.off('SIGTERM', handler)
    process.off('SIGINT', handler)
  }
}
