import { Readable } from 'node:stream'
import type { CliIo } from '../../src/interfaces/cli/command.js'
import { main } from '../../src/interfaces/cli/main.js'

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Run the CLI in-process with captured output; `stdin` is fed from a string, env is empty unless given. */
export async function runCli(
  argv: readonly string[],
  options: { stdin?: string; env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  }
  const code = await main(argv, io)
  return { code, stdout, stderr }
}
