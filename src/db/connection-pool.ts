import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { LearningError } from '../errors.js'

/** Counters of a reader pool, named as in the review's `get_pool_stats`. */
export interface PoolStats {
  size: number
  max_overflow: number
  available: number
  in_use: number
  waiting: number
  created: number
  initialized: boolean
}

/** Options of a reader pool. */
export interface PoolOptions {
  /** Connections kept open. */
  size: number
  /** Extra connections opened under load, closed when returned. */
  overflow: number
  /** Runs on every new connection (session settings). */
  setup?: (conn: DuckDBConnection) => Promise<void>
}

/**
 * Reader connections over one DuckDB instance: a health check before hand-out, a fresh connection
 * in place of a dead one, waiting callers served in order.
 */
export class ConnectionPool {
  readonly #instance: DuckDBInstance
  readonly #options: PoolOptions
  readonly #idle: DuckDBConnection[] = []
  readonly #waiters: ((conn: DuckDBConnection) => void)[] = []
  #open = 0
  #inUse = 0
  #created = 0
  #closed = false

  constructor(instance: DuckDBInstance, options: PoolOptions) {
    this.#instance = instance
    this.#options = options
  }

  /** Run `fn` with a connection of the pool and give it back afterwards, whatever happens. */
  async use<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.acquire()
    try {
      return await fn(conn)
    } finally {
      this.release(conn)
    }
  }

  /** Take a healthy connection, opening one (or an overflow one) when none is idle, else wait. */
  async acquire(): Promise<DuckDBConnection> {
    if (this.#closed) throw new LearningError('unavailable', 'the store is closed')
    while (this.#idle.length > 0) {
      const conn = this.#idle.pop()!
      if (await isHealthy(conn)) {
        this.#inUse++
        return conn
      }
      this.#open--
      conn.closeSync()
    }
    if (this.#open < this.#options.size + this.#options.overflow) {
      this.#open++
      try {
        const conn = await this.#connect()
        this.#inUse++
        return conn
      } catch (error) {
        this.#open--
        throw error
      }
    }
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  /** Give a connection back: to a waiter first, then to the idle list, closing overflow ones. */
  release(conn: DuckDBConnection): void {
    const waiter = this.#waiters.shift()
    if (waiter && !this.#closed) {
      waiter(conn)
      return
    }
    this.#inUse--
    if (this.#closed || this.#open > this.#options.size) {
      this.#open--
      conn.closeSync()
      return
    }
    this.#idle.push(conn)
  }

  stats(): PoolStats {
    return {
      size: this.#options.size,
      max_overflow: this.#options.overflow,
      available: this.#idle.length,
      in_use: this.#inUse,
      waiting: this.#waiters.length,
      created: this.#created,
      initialized: this.#created > 0,
    }
  }

  /** Close idle connections now and busy ones as they come back. */
  close(): void {
    this.#closed = true
    for (const conn of this.#idle.splice(0)) conn.closeSync()
    this.#open = this.#inUse
  }

  async #connect(): Promise<DuckDBConnection> {
    const conn = await this.#instance.connect()
    await this.#options.setup?.(conn)
    this.#created++
    return conn
  }
}

async function isHealthy(conn: DuckDBConnection): Promise<boolean> {
  try {
    await conn.run('SELECT 1')
    return true
  } catch {
    return false
  }
}
