#!/usr/bin/env node
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { errorMessage, LearningError } from '../../errors.js'
import { type CliIo, type Command, UsageError } from './command.js'
import { COMMANDS } from './commands/index.js'
import { noRemoteEquivalent } from './remote-backend.js'
import { hasServerFlag } from './server-option.js'

/**
 * Run the CLI with `argv` (without node and script) and return the exit code:
 * 0 success, 1 failure, 2 bad usage.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview())
    return name === undefined ? 2 : 0
  }
  if (name === '--version') {
    io.stdout.write('orb-learning 0.1.0\n')
    return 0
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    io.stderr.write(`error: unknown command '${name}'\n\n${overview()}`)
    return 2
  }
  try {
    if (command.remote !== true && hasServerFlag(rest))
      throw noRemoteEquivalent(`orb-learning ${command.name}`)
    const parsed = parseArgs({
      args: [...rest],
      options: command.options,
      allowPositionals: true,
      strict: true,
    })
    if (parsed.values.help === true) {
      io.stdout.write(commandHelp(command))
      return 0
    }
    return await command.run(parsed, io)
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`error: ${errorMessage(error)}\nusage: orb-learning ${command.name} ${command.usage}\n`)
      return 2
    }
    io.stderr.write(`error: ${errorMessage(error)}\n${lockHint(command, error)}`)
    return 1
  }
}

// A command without a server mode that finds the database held cannot follow the lock error's --server advice.
function lockHint(command: Command, error: unknown): string {
  if (command.remote === true || !(error instanceof LearningError)) return ''
  if (!error.message.includes('in use by another process')) return ''
  return `note: '${command.name}' has no --server mode: run it after stopping the server that holds the database\n`
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)
  return `orb-learning: execution telemetry for AI-agent orchestrators that learns from its history\n\nusage: orb-learning <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nEvery command takes --help, --db PATH (env ORB_LEARNING_DB) and --json.\nrecord, status, query, queries, search, recommend and feedback also take --server URL (env ORB_LEARNING_SERVER,\nkey in ORB_LEARNING_API_KEY): they then talk to a running 'orb-learning serve' instead of opening the database.\n`
}

function commandHelp(command: Command): string {
  const remote = command.remote
    ? '\n--server URL  send the command to a running `orb-learning serve` instead of opening the database\n              (env ORB_LEARNING_SERVER; API key from ORB_LEARNING_API_KEY)\n'
    : ''
  return `orb-learning ${command.name} ${command.usage}\n\n${command.summary}\n${command.help ? `\n${command.help}\n` : ''}${remote}`
}

function isParseArgsError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
  )
}

function isEntryPoint(): boolean {
  const entry = process.argv[1]
  if (!entry) return false
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
}

if (isEntryPoint()) {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  }
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code
    },
    (error) => {
      process.stderr.write(`error: ${errorMessage(error)}\n`)
      process.exitCode = 1
    },
  )
}
