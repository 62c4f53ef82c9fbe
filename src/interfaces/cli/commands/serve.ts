import { resolveOpsSchedule } from '../../../ops/ops-jobs.js'
import { startOpsScheduler } from '../../../ops/ops-scheduler.js'
import { openStore } from '../../../store.js'
import { closeOnSignals, startServer } from '../../http/server.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { dbPath } from '../open-cli-store.js'
import { DATA_DIR_HELP, dataDir } from '../ops-cli.js'
import { SCHEDULE_HELP, SCHEDULE_OPTIONS, scheduleFromEnv } from '../schedule-options.js'
import {
  loadApiKeys,
  loadOtlpMapping,
  positiveIntegerFlag,
  SERVE_SECURITY_HELP,
  SERVE_SECURITY_OPTIONS,
} from '../serve-options.js'

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the HTTP API, the web dashboard, /metrics and the maintenance jobs until SIGTERM or SIGINT',
  usage: '[--host 127.0.0.1] [--port 8080] [--db PATH] [--data-dir DIR] [--no-schedules]',
  help:
    '  --host ADDR   interface to bind (env ORB_LEARNING_HOST; default 127.0.0.1)\n' +
    '  --port N      TCP port, 0 for any free one (env ORB_LEARNING_PORT; default 8080)\n' +
    SERVE_SECURITY_HELP +
    `${DATA_DIR_HELP} (archives, backups, MCP backup tools)\n` +
    SCHEDULE_HELP +
    'Prints the URL on its first line. SIGTERM/SIGINT stop accepting, finish open requests, let a running maintenance\n' +
    'job reach a safe point and drain the write queue.',
  options: {
    ...COMMON_OPTIONS,
    host: { type: 'string' },
    port: { type: 'string' },
    ...SERVE_SECURITY_OPTIONS,
    'data-dir': { type: 'string' },
    ...SCHEDULE_OPTIONS,
  },
  async run(args, io) {
    const host = stringFlag(args.values.host) ?? io.env.ORB_LEARNING_HOST ?? '127.0.0.1'
    const port = parsePort(stringFlag(args.values.port) ?? io.env.ORB_LEARNING_PORT ?? '8080')
    const apiKeys = loadApiKeys(args, io)
    const otlpMapping = loadOtlpMapping(args, io)
    const maxInFlight = positiveIntegerFlag(args, 'max-in-flight')
    const schedules = args.values['no-schedules'] === true ? undefined : scheduleFromEnv(io)
    // Refuse a bad schedule before anything opens (not at 02:00).
    if (schedules) resolveOpsSchedule(schedules.config)
    const store = await openStore({
      path: dbPath(args, io),
      dataDir: dataDir(args, io),
      maxQueuedRecords: positiveIntegerFlag(args, 'max-queued'),
    })
    let server: Awaited<ReturnType<typeof startServer>>
    try {
      server = await startServer({ store, host, port, apiKeys, otlpMapping, maxInFlight })
    } catch (error) {
      await store.close()
      throw error
    }
    const schedule =
      schedules &&
      startOpsScheduler(store, schedules.config, {
        retryBaseMs: schedules.retryBaseMs,
        onFailure: (job) =>
          io.stderr.write(
            `orb-learning: scheduled job ${job.name} failed (${job.consecutive_failures} in a row), retry at ${job.next_run}: ${job.last_error}\n`,
          ),
      })
    const line =
      args.values.json === true
        ? JSON.stringify({ url: server.url, db: store.path, schedules: schedule !== undefined })
        : `orb-learning serving ${store.path} at ${server.url}  (dashboard ${server.url}/, API ${server.url}/v1/openapi.json, metrics ${server.url}/metrics; maintenance jobs ${schedule ? 'on' : 'off'})`
    io.stdout.write(`${line}\n`)
    await new Promise<void>((resolve) => {
      const off = closeOnSignals(
        server,
        store,
        () => {
          off()
          io.stderr.write('orb-learning: server stopped, write queue drained\n')
          resolve()
        },
        schedule?.stop,
      )
    })
    return 0
  },
}

function stringFlag(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function parsePort(text: string): number {
  const port = Number(text)
  if (!/^\d+$/.test(text) || port > 65_535)
    throw new UsageError(`--port must be an integer 0..65535, got '${text}'`)
  return port
}
