import type { Options } from '../../config.js'
import { openStore, type Store } from '../../store.js'
import type { CliIo, CommandArgs } from './command.js'
import { embedderOptionsFromEnv } from './embedder-env.js'

/** The database path of a command: `--db`, else ORB_LEARNING_DB, else the default. */
export function dbPath(args: CommandArgs, io: CliIo, fallback = 'data/learning.duckdb'): string {
  const flag = args.values.db
  return typeof flag === 'string' ? flag : (io.env.ORB_LEARNING_DB ?? fallback)
}

/** Open the command's store, run `fn`, and always close it. */
export async function withCliStore<T>(
  args: CommandArgs,
  io: CliIo,
  fn: (store: Store) => Promise<T>,
  options: { readOnly?: boolean; path?: string; store?: Partial<Options> } = {},
): Promise<T> {
  const store = await openStore({
    ...embedderOptionsFromEnv(io.env),
    ...options.store,
    path: options.path ?? dbPath(args, io),
    readOnly: options.readOnly ?? false,
  })
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}
