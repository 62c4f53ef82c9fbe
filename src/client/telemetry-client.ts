import { createHash, randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RETRYABLE_STATUSES, retryDelayMs } from './backoff.js'
import { bodyMessage, type PostOutcome, postJson } from './http-post.js'
import { SpillFile } from './spill-file.js'

/** Options of `createTelemetryClient`. */
export interface TelemetryClientOptions {
  /** Base URL of `orb-learning serve`, e.g. `http://127.0.0.1:8080`. */
  url: string
  /** API key (sent as `Authorization: Bearer`); needs the `write` scope (and `read` for recommend). */
  apiKey?: string
  /** Records per request. Default 100. */
  batchSize?: number
  /** Longest a record waits in memory before its batch is sent, in ms. Default 1000. */
  flushIntervalMs?: number
  /** Records held in memory; beyond this they spill to `spillPath`. Default 10,000. */
  maxBuffer?: number
  /** JSONL file for records that do not fit in memory or could not be sent at close. Default: in the OS temp dir, per URL. */
  spillPath?: string
  /** First retry delay; doubles per failed attempt (with jitter) unless the server sends Retry-After. Default 250 ms. */
  retryBaseMs?: number
  /** Longest wait between retries, in ms. Default 30,000. */
  maxRetryDelayMs?: number
  /** Timeout of one request, in ms. Default 10,000. */
  requestTimeoutMs?: number
  /** Told of failures the client handles itself (rejected records, retries, spill errors). Never throws into `record`. */
  onError?: (error: Error) => void
  /** fetch implementation. Default the global fetch. */
  fetch?: typeof fetch
}

/** Counters of a client, for tests and dashboards. */
export interface TelemetryClientStats {
  /** Records acknowledged by the server (inserted or updated). */
  sent: number
  /** Records the server refused as invalid (never retried). */
  rejected: number
  /** Records held in memory now. */
  buffered: number
  /** Records written to the spill file so far. */
  spilled: number
  /** Failed attempts that were retried. */
  retries: number
}

/** The orchestrator side: record executions without waiting, and ask for routes. */
export interface TelemetryClient {
  /** Queue one execution; never throws and never waits. A task_id is assigned when absent (it makes retries idempotent). Returns the task_id. */
  record(execution: Record<string, unknown>): string
  /** Send everything recorded so far (spilled records too); resolves when acknowledged, or false after `timeoutMs`. */
  flush(timeoutMs?: number): Promise<boolean>
  /** Flush for up to `timeoutMs`, spill what is left to the file (replayed by the next client), stop. */
  close(timeoutMs?: number): Promise<void>
  /** `POST /v1/recommendations`: which model tier and pool for this task. */
  recommend(task: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>
  /** `POST /v1/feedback`: a user's rating of an execution. */
  feedback(input: Record<string, unknown>): Promise<unknown>
  stats(): TelemetryClientStats
}

/**
 * A telemetry client for an orchestrator's hot path: `record()` costs microseconds; batching, retries
 * with backoff (honouring Retry-After), spilling to a JSONL file and replay happen in the background.
 * @example
 * const client = createTelemetryClient({ url: 'http://127.0.0.1:8080', apiKey: process.env.ORB_KEY })
 * client.record({ task_type: 'refactor', ... })
 * await client.close()
 */
export function createTelemetryClient(options: TelemetryClientOptions): TelemetryClient {
  return new Client(options)
}

class Client implements TelemetryClient {
  readonly #o: Required<Omit<TelemetryClientOptions, 'apiKey' | 'onError'>> &
    Pick<TelemetryClientOptions, 'apiKey' | 'onError'>
  readonly #spill: SpillFile
  #buffer: Record<string, unknown>[] = []
  #pump: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #wake: (() => void) | undefined
  #failures = 0
  #closed = false
  #stopAt = Number.POSITIVE_INFINITY
  readonly #stats: TelemetryClientStats = { sent: 0, rejected: 0, buffered: 0, spilled: 0, retries: 0 }

  constructor(options: TelemetryClientOptions) {
    const url = options.url.replace(/\/+$/, '')
    this.#o = {
      batchSize: 100,
      flushIntervalMs: 1000,
      maxBuffer: 10_000,
      spillPath: join(
        tmpdir(),
        `orb-learning-spill-${createHash('sha256').update(url).digest('hex').slice(0, 12)}.jsonl`,
      ),
      retryBaseMs: 250,
      maxRetryDelayMs: 30_000,
      requestTimeoutMs: 10_000,
      fetch: globalThis.fetch,
      ...definedOnly(options),
      url,
    }
    this.#spill = new SpillFile(this.#o.spillPath)
    // Records spilled by an earlier run go out first.
    this.#kick()
  }

  record(execution: Record<string, unknown>): string {
    const record =
      typeof execution.task_id === 'string' ? { ...execution } : { ...execution, task_id: randomUUID() }
    if (this.#closed) {
      this.#spillNow([record])
      return record.task_id as string
    }
    this.#buffer.push(record)
    if (this.#buffer.length > this.#o.maxBuffer)
      this.#spillNow(this.#buffer.splice(0, this.#buffer.length - this.#o.maxBuffer))
    if (this.#buffer.length >= this.#o.batchSize) this.#kick()
    else this.#timer ??= setTimeout(() => this.#kick(), this.#o.flushIntervalMs)
    return record.task_id as string
  }

  async flush(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      this.#kick()
      await Promise.race([this.#pump, sleep(Math.min(100, deadline - Date.now()))])
      if (this.#pump === undefined && this.#buffer.length === 0 && !(await this.#spill.hasRecords()))
        return true
    }
    return false
  }

  async close(timeoutMs = 5_000): Promise<void> {
    if (this.#closed) return
    await this.flush(timeoutMs)
    this.#closed = true
    this.#stopAt = 0
    this.#wake?.()
    clearTimeout(this.#timer)
    await this.#pump
    this.#spillNow(this.#buffer.splice(0))
    await this.#spill.append([])
  }

  async recommend(task: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown> {
    return this.#call('/v1/recommendations', options === undefined ? task : { ...task, ...options })
  }

  async feedback(input: Record<string, unknown>): Promise<unknown> {
    return this.#call('/v1/feedback', input)
  }

  stats(): TelemetryClientStats {
    return { ...this.#stats, buffered: this.#buffer.length }
  }

  async #call(path: string, body: unknown): Promise<unknown> {
    const outcome = await postJson(
      this.#o.fetch,
      `${this.#o.url}${path}`,
      body,
      this.#o.apiKey,
      this.#o.requestTimeoutMs,
    )
    if (outcome.status >= 400)
      throw new Error(`${path} answered ${outcome.status}: ${bodyMessage(outcome.body)}`)
    return outcome.body
  }

  #kick(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#closed) return
    this.#pump ??= this.#run().finally(() => {
      this.#pump = undefined
    })
  }

  // One sender: spilled records first, then the buffer, a batch at a time, until both are empty.
  async #run(): Promise<void> {
    while (!this.#closed || this.#stopAt > Date.now()) {
      if (await this.#spill.hasRecords().catch(() => false)) {
        if (!(await this.#replay())) return
        continue
      }
      if (this.#buffer.length === 0) return
      const batch = this.#buffer.splice(0, this.#o.batchSize)
      if (!(await this.#sendWithRetry(batch))) {
        this.#buffer.unshift(...batch)
        return
      }
    }
  }

  async #replay(): Promise<boolean> {
    const taken = await this.#spill.take()
    for (let i = 0; i < taken.records.length; i += this.#o.batchSize) {
      const batch = taken.records.slice(i, i + this.#o.batchSize) as Record<string, unknown>[]
      if (!(await this.#sendWithRetry(batch))) {
        await taken.restore(taken.records.slice(i))
        return false
      }
    }
    await taken.done()
    return true
  }

  // Resolves true once the batch is acknowledged (or refused as invalid), false when stopping.
  async #sendWithRetry(batch: Record<string, unknown>[]): Promise<boolean> {
    for (;;) {
      let outcome: PostOutcome | undefined
      try {
        outcome = await postJson(
          this.#o.fetch,
          `${this.#o.url}/v1/executions`,
          batch,
          this.#o.apiKey,
          this.#o.requestTimeoutMs,
        )
      } catch (error) {
        this.#report(
          new Error(`orb-learning client: ${this.#o.url} unreachable: ${(error as Error).message}`),
        )
      }
      if (outcome?.status === 413 && batch.length > 1) {
        const half = Math.ceil(batch.length / 2)
        return (
          (await this.#sendWithRetry(batch.slice(0, half))) && (await this.#sendWithRetry(batch.slice(half)))
        )
      }
      if (outcome && !RETRYABLE_STATUSES.has(outcome.status) && !KEEP_STATUSES.has(outcome.status)) {
        this.#failures = 0
        this.#account(batch.length, outcome)
        return true
      }
      if (outcome)
        this.#report(
          new Error(`orb-learning client: server answered ${outcome.status}: ${bodyMessage(outcome.body)}`),
        )
      this.#stats.retries++
      const delay = retryDelayMs(this.#failures++, outcome?.retryAfter, {
        baseMs: this.#o.retryBaseMs,
        maxMs: this.#o.maxRetryDelayMs,
      })
      if (Date.now() + delay > this.#stopAt) return false
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, delay)
        this.#wake = () => {
          clearTimeout(t)
          resolve()
        }
      })
      this.#wake = undefined
      if (this.#closed && Date.now() >= this.#stopAt) return false
    }
  }

  #account(count: number, outcome: PostOutcome): void {
    const body = outcome.body as {
      inserted?: number
      updated?: number
      rejected?: { error: string }[]
    } | null
    if (outcome.status < 300) {
      this.#stats.sent += (body?.inserted ?? 0) + (body?.updated ?? 0)
      const rejected = body?.rejected ?? []
      this.#stats.rejected += rejected.length
      if (rejected.length > 0)
        this.#report(
          new Error(`orb-learning client: ${rejected.length} record(s) rejected: ${rejected[0]!.error}`),
        )
      return
    }
    // 4xx other than 408/429: the records themselves are refused (invalid, or the key lacks the scope).
    this.#stats.rejected += count
    this.#report(
      new Error(
        `orb-learning client: ${count} record(s) refused with ${outcome.status}: ${bodyMessage(outcome.body)}`,
      ),
    )
  }

  #spillNow(records: Record<string, unknown>[]): void {
    if (records.length === 0) return
    this.#stats.spilled += records.length
    this.#spill
      .append(records)
      .catch((error: Error) =>
        this.#report(new Error(`orb-learning client: cannot spill to ${this.#spill.path}: ${error.message}`)),
      )
  }

  #report(error: Error): void {
    try {
      this.#o.onError?.(error)
    } catch {
      // The caller's handler must not break the sender.
    }
  }
}

// A refused API key is a configuration fault: keep the records and retry (slowly) instead of dropping them.
const KEEP_STATUSES: ReadonlySet<number> = new Set([401, 403])

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
