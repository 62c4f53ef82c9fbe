import type { CliIo, CommandArgs } from './command.js'
import { UsageError } from './command.js'

/**
 * The server a command talks to: `--server URL`, else ORB_LEARNING_SERVER, else none (open the database).
 * A URL that is not http(s), or `--server` together with `--db`, is bad usage.
 */
export function serverUrl(args: CommandArgs, io: CliIo): string | undefined {
  const flag = args.values.server
  const raw = typeof flag === 'string' ? flag : io.env.ORB_LEARNING_SERVER
  if (raw === undefined || raw.trim() === '') return undefined
  if (typeof flag === 'string' && typeof args.values.db === 'string') {
    throw new UsageError('give --server URL or --db PATH, not both: the server owns its database')
  }
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new UsageError(
      `--server must be an http(s) URL such as http://127.0.0.1:8080, got ${JSON.stringify(raw)}`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--server must be an http(s) URL such as http://127.0.0.1:8080, got ${JSON.stringify(raw)}`,
    )
  }
  return url.href.replace(/\/+$/, '')
}

/** Whether the command line names a server with the `--server` flag (checked before parsing). */
export function hasServerFlag(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--server' || a.startsWith('--server='))
}
