import { LearningError } from '../errors.js'

/** Writes one merged batch; returns one outcome per item, in order. Throws only when the whole batch failed. */
export type BatchWriter<T, R> = (items: T[]) => Promise<R[]>

/** Limits of a group-commit queue. */
export interface QueueOptions {
  /** Items that may wait; beyond this, `enqueue` waits or refuses. */
  maxQueued: number
  /** Most items merged into one batch. */
  maxBatch: number
}

interface Entry<T, R> {
  items: T[]
  resolve: (outcomes: R[]) => void
  reject: (error: unknown) => void
}

/**
 * Merges concurrent callers into one batch per transaction on one writer. A caller's promise settles
 * only when its batch has been written. Bounded: callers wait (or are refused) when the queue is full.
 */
export class GroupCommitQueue<T, R> {
  readonly #write: BatchWriter<T, R>
  readonly #options: QueueOptions
  readonly #pending: Entry<T, R>[] = []
  readonly #spaceWaiters: (() => void)[] = []
  #queued = 0
  #running: Promise<void> | undefined
  #closed = false

  constructor(write: BatchWriter<T, R>, options: QueueOptions) {
    this.#write = write
    this.#options = options
  }

  /** Items waiting or being written. */
  get depth(): number {
    return this.#queued
  }

  /**
   * Queue items and resolve with their outcomes once written.
   * `whenFull: 'wait'` holds the caller until there is room; `'reject'` throws an `unavailable` error.
   */
  async enqueue(items: T[], whenFull: 'wait' | 'reject' = 'wait'): Promise<R[]> {
    if (items.length === 0) return []
    while (!this.#hasRoom(items.length)) {
      if (this.#closed) break
      if (whenFull === 'reject') {
        throw new LearningError(
          'unavailable',
          `write queue is full (${this.#queued} records waiting, limit ${this.#options.maxQueued}); retry later`,
        )
      }
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve))
    }
    if (this.#closed)
      throw new LearningError('unavailable', 'the store is closing; the write was not accepted')
    this.#queued += items.length
    const done = new Promise<R[]>((resolve, reject) => this.#pending.push({ items, resolve, reject }))
    this.#running ??= this.#drain()
    return done
  }

  /** Refuse new work and wait until everything queued has been written. */
  async close(): Promise<void> {
    this.#closed = true
    for (const wake of this.#spaceWaiters.splice(0)) wake()
    await this.#running
  }

  // A call larger than the whole queue goes in alone, so it can never wait forever.
  #hasRoom(count: number): boolean {
    return this.#queued === 0 || this.#queued + count <= this.#options.maxQueued
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.length > 0) {
        const batch = this.#takeBatch()
        const items = batch.flatMap((entry) => entry.items)
        try {
          const outcomes = await this.#write(items)
          let offset = 0
          for (const entry of batch) {
            entry.resolve(outcomes.slice(offset, offset + entry.items.length))
            offset += entry.items.length
          }
        } catch (error) {
          for (const entry of batch) entry.reject(error)
        }
        this.#queued -= items.length
        for (const wake of this.#spaceWaiters.splice(0)) wake()
      }
    } finally {
      this.#running = undefined
    }
  }

  #takeBatch(): Entry<T, R>[] {
    const batch: Entry<T, R>[] = []
    let count = 0
    while (this.#pending.length > 0) {
      const next = this.#pending[0]!
      if (batch.length > 0 && count + next.items.length > this.#options.maxBatch) break
      batch.push(this.#pending.shift()!)
      count += next.items.length
    }
    return batch
  }
}
