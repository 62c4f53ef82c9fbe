import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { invalidInput } from '../../errors.js'
import { type ApiKey, parseApiKeys } from '../http/api-keys.js'
import { describeIssues } from '../http/request.js'
import { DEFAULT_OTLP_MAPPING, type OtlpMapping, OtlpMappingSchema } from '../otlp/model-pricing.js'
import type { CliIo, CommandArgs } from './command.js'
import { UsageError } from './command.js'

/** Flags of `serve` for auth, OTLP mapping and backpressure. */
export const SERVE_SECURITY_OPTIONS = {
  'api-keys-file': { type: 'string' },
  'otlp-config': { type: 'string' },
  'max-queued': { type: 'string' },
  'max-in-flight': { type: 'string' },
} as const

/** Help lines of those flags. */
export const SERVE_SECURITY_HELP =
  '  --api-keys-file FILE  API keys (JSON [{name, key|sha256, scopes, rate_per_second?}]); else env\n' +
  '                        ORB_LEARNING_API_KEYS (same JSON, or scope+scope:KEY,...). Needed to bind beyond loopback\n' +
  '  --otlp-config FILE    model -> tier and price tables for /v1/traces (JSON {modelTiers, prices})\n' +
  '  --max-queued N        records the write queue holds before ingest answers 503 (default 100000)\n' +
  '  --max-in-flight N     API requests handled at once before the next is answered 503 (default 256)\n'

/** The API keys of `serve`: `--api-keys-file`, else ORB_LEARNING_API_KEYS, else none. */
export function loadApiKeys(args: CommandArgs, io: CliIo): ApiKey[] {
  const file = args.values['api-keys-file']
  if (typeof file === 'string') return parseApiKeys(readText(io, file, '--api-keys-file'))
  return parseApiKeys(io.env.ORB_LEARNING_API_KEYS ?? '')
}

/** The OTLP mapping tables of `serve`: `--otlp-config` or the defaults. */
export function loadOtlpMapping(args: CommandArgs, io: CliIo): OtlpMapping {
  const file = args.values['otlp-config']
  if (typeof file !== 'string') return DEFAULT_OTLP_MAPPING
  let json: unknown
  try {
    json = JSON.parse(readText(io, file, '--otlp-config'))
  } catch (error) {
    throw invalidInput(`--otlp-config ${file}: not valid JSON (${(error as Error).message})`)
  }
  const parsed = OtlpMappingSchema.safeParse(json, { reportInput: true })
  if (!parsed.success) throw invalidInput(`--otlp-config ${file}: ${describeIssues(parsed.error.issues)}`)
  return parsed.data
}

/** A positive-integer flag (`--max-queued`, `--max-in-flight`), or undefined for the default. */
export function positiveIntegerFlag(
  args: CommandArgs,
  flag: 'max-queued' | 'max-in-flight',
): number | undefined {
  const text = args.values[flag]
  if (typeof text !== 'string') return undefined
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--${flag} must be a positive integer, got '${text}'`)
  return Number(text)
}

function readText(io: CliIo, file: string, flag: string): string {
  try {
    return readFileSync(resolve(io.cwd, file), 'utf8')
  } catch (error) {
    throw invalidInput(`${flag} ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`)
  }
}
