/** The closed set of failure kinds; each face maps them to its own status codes. */
export type ErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'unavailable' | 'internal'

/** The one error class of the library: a code, a message that names the offending value, and the cause. */
export class LearningError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'LearningError'
    this.details = options?.details
  }
  /** Structured detail for machine faces (per-record rejections, field paths). */
  readonly details: unknown
}

/** Shorthand for the most common failure: bad input, with the message that names field, rule and value. */
export function invalidInput(message: string, details?: unknown): LearningError {
  return new LearningError('invalid_input', message, { details })
}

/** Render any thrown value as a one-line message, without a stack. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
