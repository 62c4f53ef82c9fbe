import { UsageError } from '../command.js'

/** A numeric flag's value, undefined when absent; bad numbers are usage errors naming the flag. */
export function numberFlag(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name]
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) {
    throw new UsageError(`--${name} must be a number, got ${JSON.stringify(raw)}`)
  }
  return n
}

/** A string flag's value, undefined when absent. */
export function stringFlag(values: Record<string, unknown>, name: string): string | undefined {
  const raw = values[name]
  return typeof raw === 'string' ? raw : undefined
}

/** A required string flag. */
export function requiredFlag(values: Record<string, unknown>, name: string): string {
  const v = stringFlag(values, name)
  if (v === undefined) throw new UsageError(`--${name} is required`)
  return v
}
