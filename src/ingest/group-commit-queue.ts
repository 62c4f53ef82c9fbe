import { LearningError } from '../errors.js'

/** Writes one merged batch; returns one outcome per item, in order. Throws only when the whole batch failed. */
export type BatchWriter<T, R> = (items: T[]) => Promise<R[]>
/** Gets items ready for writing (e.g. computes embeddings); runs while the previous batch commits. */
export type BatchPreparer<T> = (items: T[]) => Promise<void>

/** Limits of a group-commit queue. */
export interface QueueOptions<T> {
  /** Items that may wait; beyond this, `enqueue` waits or refuses. */
  maxQueued: number
  /** Most items merged into one batch. */
  maxBatch: number
  /** Optional first stage, pipelined with the write of the previous batch. */
  prepare?: BatchPreparer<T>
}

interface Entry<T, R> {
  items: T[]
  resolve: (outcomes: R[]) => void
  reject: (error: unknown) => void
}

/**
 * Merges concurrent callers into one batch per transaction on one writer. A caller's promise settles
 * only when its batch has been written. Two stages run at once: while batch N is being written,
 * the entries that arrived meanwhile are prepared (embedded), so CPU work overlaps the commit.
 * Bounded: callers wait (or are refused) when the queue is full.
 */
export class GroupCommitQueue<T, R> {
  readonly #write: BatchWriter<T, R>
  readonly #options: QueueOptions<T>
  /** Entries not yet prepared, in arrival order. */
  readonly #arrived: Entry<T, R>[] = []
  /** Prepared entries waiting for the writer, in arrival order. */
  readonly #ready: Entry<T, R>[] = []
  readonly #spaceWaiters: (() => void)[] = []
  #queued = 0
  #readyCount = 0
  #preparing: Promise<void> | undefined
  #writing: Promise<void> | undefined
  #closed = false
  #idle: (() => void)[] = []

  constructor(write: BatchWriter<T, R>, options: QueueOptions<T>) {
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
    while (!this.#hasRoom(items.length) && !this.#closed) {
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
    const done = new Promise<R[]>((resolve, reject) => this.#arrived.push({ items, resolve, reject }))
    this.#kick()
    return done
  }

  /** Refuse new work and wait until everything queued has been written. */
  async close(): Promise<void> {
    this.#closed = true
    for (const wake of this.#spaceWaiters.splice(0)) wake()
    await this.whenIdle()
  }

  /** Resolves once nothing is queued, being prepared or being written. */
  whenIdle(): Promise<void> {
    if (this.#queued === 0) return Promise.resolve()
    return new Promise((resolve) => this.#idle.push(resolve))
  }

  // A call larger than the whole queue goes in alone, so it can never wait forever.
  #hasRoom(count: number): boolean {
    return this.#queued === 0 || this.#queued + count <= this.#options.maxQueued
  }

  #kick(): void {
    if (this.#options.prepare === undefined) {
      this.#markReady(this.#arrived.splice(0))
    } else if (!this.#preparing && this.#arrived.length > 0 && this.#readyCount < this.#options.maxBatch) {
      this.#preparing = this.#prepareLoop().finally(() => {
        this.#preparing = undefined
        this.#kick()
      })
    }
    if (!this.#writing && this.#ready.length > 0) {
      this.#writing = this.#writeLoop().finally(() => {
        this.#writing = undefined
        this.#kick()
      })
    }
  }

  async #prepareLoop(): Promise<void> {
    const prepare = this.#options.prepare!
    while (this.#arrived.length > 0) {
      // Prepare ahead only as far as the writer can take in its next batch.
      if (this.#readyCount >= this.#options.maxBatch) return
      const batch = this.#take(this.#arrived)
      try {
        await prepare(batch.flatMap((entry) => entry.items))
        this.#markReady(batch)
      } catch (error) {
        this.#settle(batch, undefined, error)
      }
      this.#kick()
    }
  }

  async #writeLoop(): Promise<void> {
    while (this.#ready.length > 0) {
      const batch = this.#take(this.#ready)
      for (const entry of batch) this.#readyCount -= entry.items.length
      try {
        this.#settle(batch, await this.#write(batch.flatMap((entry) => entry.items)))
      } catch (error) {
        this.#settle(batch, undefined, error)
      }
      this.#kick()
    }
  }

  #settle(batch: Entry<T, R>[], outcomes: R[] | undefined, error?: unknown): void {
    let offset = 0
    for (const entry of batch) {
      if (outcomes) entry.resolve(outcomes.slice(offset, offset + entry.items.length))
      else entry.reject(error)
      offset += entry.items.length
    }
    this.#queued -= offset
    for (const wake of this.#spaceWaiters.splice(0)) wake()
    if (this.#queued === 0) for (const wake of this.#idle.splice(0)) wake()
  }

  #markReady(entries: Entry<T, R>[]): void {
    for (const entry of entries) {
      this.#ready.push(entry)
      this.#readyCount += entry.items.length
    }
  }

  #take(from: Entry<T, R>[]): Entry<T, R>[] {
    let taken = 0
    let count = 0
    while (taken < from.length) {
      const size = from[taken]!.items.length
      if (taken > 0 && count + size > this.#options.maxBatch) break
      count += size
      taken++
    }
    return from.splice(0, taken)
  }
}
