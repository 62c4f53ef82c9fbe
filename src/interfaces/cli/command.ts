import type { ParseArgsConfig } from 'node:util'

/** Where a command reads and writes: the process's streams in production, buffers in tests. */
export interface CliIo {
  stdout: { write(chunk: string): unknown }
  stderr: { write(chunk: string): unknown }
  stdin: NodeJS.ReadableStream
  env: Readonly<Record<string, string | undefined>>
  cwd: string
}

/** Parsed flags and positionals of one command line. */
export interface CommandArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>
  positionals: string[]
}

/** One CLI command: its flags (node:util parseArgs) and what it does. Returns the exit code. */
export interface Command {
  readonly name: string
  readonly summary: string
  /** Usage line after `orb-learning <name>`, e.g. `FILE [--format jsonl|csv|parquet]`. */
  readonly usage: string
  /** Extra lines of help: what each flag means. */
  readonly help?: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  /** True when the command can talk to a running server (`--server URL`) instead of opening the database. */
  readonly remote?: boolean
  run(args: CommandArgs, io: CliIo): Promise<number>
}

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  db: { type: 'string' },
  /** A running `orb-learning serve` to send the command to (env ORB_LEARNING_SERVER); see `remote`. */
  server: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies NonNullable<ParseArgsConfig['options']>

/** Thrown for bad usage (unknown flag, missing argument): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}
