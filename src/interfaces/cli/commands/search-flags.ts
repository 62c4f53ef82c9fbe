import { UsageError } from '../command.js'

/** `{ [key]: number }` from a numeric string flag, `{}` when absent; a non-number is a usage error. */
export function numberFlag(
  values: Record<string, unknown>,
  flag: string,
  key: string,
): Record<string, number> {
  const raw = values[flag]
  if (typeof raw !== 'string') return {}
  const n = Number(raw)
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${flag} must be a number, got ${JSON.stringify(raw)}`)
  return { [key]: n }
}
