import { dirname } from 'node:path'
import { openStore, type Store } from '../../store.js'
import { type CliIo, COMMON_OPTIONS, type CommandArgs, UsageError } from './command.js'
import { dbPath } from './open-cli-store.js'

/** Flags of every ops command: the common ones plus the data directory archives and backups live under. */
export const OPS_OPTIONS = {
  ...COMMON_OPTIONS,
  'data-dir': { type: 'string' },
} as const

/** Help line for `--data-dir`. */
export const DATA_DIR_HELP =
  '  --data-dir DIR  root of archives and backups (env ORB_LEARNING_DATA_DIR; default: the folder of the database)'

/** The data directory of an ops command: `--data-dir`, else ORB_LEARNING_DATA_DIR, else the database's folder. */
export function dataDir(args: CommandArgs, io: CliIo): string {
  const flag = args.values['data-dir']
  return typeof flag === 'string' ? flag : (io.env.ORB_LEARNING_DATA_DIR ?? dirname(dbPath(args, io)))
}

/** Open the store with the command's data directory, run `fn`, always close. */
export async function withOpsCliStore<T>(
  args: CommandArgs,
  io: CliIo,
  fn: (store: Store) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  const store = await openStore({
    path: dbPath(args, io),
    dataDir: dataDir(args, io),
    readOnly: options.readOnly ?? false,
  })
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

/** A step printer for long jobs: `[3/6] verified` on stderr (quiet with --json so that stdout stays parseable). */
export function stepProgress(io: CliIo, job: string, steps: readonly string[]): (step: string) => void {
  const started = Date.now()
  return (step) => {
    const i = steps.indexOf(step) + 1
    const bar = `${'#'.repeat(i)}${'.'.repeat(steps.length - i)}`
    io.stderr.write(
      `${job} [${bar}] ${i}/${steps.length} ${step} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    )
  }
}

/** A string flag's value, or undefined. */
export function stringFlag(args: CommandArgs, name: string): string | undefined {
  const v = args.values[name]
  return typeof v === 'string' ? v : undefined
}

/** A number flag (decimal text), or undefined; bad text is a usage error. */
export function numberFlag(args: CommandArgs, name: string): number | undefined {
  const v = stringFlag(args, name)
  if (v === undefined) return undefined
  if (!/^-?\d+(\.\d+)?$/.test(v.trim())) throw new UsageError(`--${name} must be a number, got '${v}'`)
  return Number(v)
}

/** The single positional argument of a command, or a usage error. */
export function onePositional(args: CommandArgs, what: string): string {
  const [first, ...rest] = args.positionals
  if (first === undefined || rest.length > 0) throw new UsageError(`expected exactly one ${what}`)
  return first
}
