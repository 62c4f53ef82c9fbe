import { invalidInput } from '../errors.js'

/** Longest retention window accepted, in days (10 years). */
export const MAX_RETENTION_DAYS = 3650

/** Check a retention window: an integer from 1 to 3,650; 0 (everything is expired) only when confirmed. */
export function checkRetentionDays(days: unknown, allExpired = false): number {
  if (typeof days !== 'number' || !Number.isInteger(days)) {
    throw invalidInput(`days must be an integer, got ${JSON.stringify(days)}`)
  }
  if (days === 0) {
    if (allExpired) return 0
    throw invalidInput(
      'days must be between 1 and 3650, got 0 (to expire everything, confirm with allExpired / --all-expired)',
    )
  }
  if (days < 1 || days > MAX_RETENTION_DAYS) {
    throw invalidInput(`days must be between 1 and ${MAX_RETENTION_DAYS}, got ${days}`)
  }
  return days
}

/** Parse an integer flag given as text (CLI) without accepting '1.5', '1e3' or '12abc'. */
export function parseIntegerFlag(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) {
    throw invalidInput(`${name} must be an integer, got ${JSON.stringify(value)}`)
  }
  return Number(value)
}
