// orb-learning/client: the orchestrator side. Imports nothing of the database: safe in any Node process.

export { parseRetryAfter, RETRYABLE_STATUSES, retryDelayMs } from './backoff.js'
export type { PostOutcome } from './http-post.js'
export { SpillFile } from './spill-file.js'
export type { TelemetryClient, TelemetryClientOptions, TelemetryClientStats } from './telemetry-client.js'
export { createTelemetryClient } from './telemetry-client.js'
