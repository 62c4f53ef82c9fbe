import { resolve } from 'node:path'
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { type Config, type Options, resolveConfig } from './config.js'
import { ConnectionPool, type PoolStats } from './db/connection-pool.js'
import { Exclusive } from './db/exclusive.js'
import { getMetadata, setMetadata } from './db/metadata-table.js'
import { migrate, schemaVersion } from './db/migrations.js'
import { openDatabase, setupConnection } from './db/open-database.js'
import { recoverInterruptedRestore } from './db/restore-journal.js'
import { LearningError } from './errors.js'
import { ExecutionWriter, type WriteOutcome } from './ingest/execution-writer.js'
import { GroupCommitQueue } from './ingest/group-commit-queue.js'
import { registerDerivedDataHooks } from './ops/derived-data.js'
import { type Execution, embeddingText } from './record.js'
import { createEmbedder } from './search/create-embedder.js'
import type { Embedder } from './search/embedder.js'

/** Facts about one committed write batch, for listeners that measure (metrics). */
export interface CommitInfo {
  /** Wall time of the write transaction (appender, upsert, COMMIT), in seconds. */
  seconds: number
  /** Rows that replaced an existing task_id (retries): the old row may have sat in another day or tier. */
  updated: number
  /**
   * task_ids whose row existed before this batch (retried tasks): their records replaced it. Listeners that
   * count outcomes counted that row when it was first written.
   */
  replaced: ReadonlySet<string>
  /** The uploaded_at given to every written row that brought none (one stamp per batch). */
  uploadedAt: Date
}

/** Called after each committed write batch with the executions it wrote (embeddings filled in). */
export type CommitListener = (written: readonly Execution[], info: CommitInfo) => void | Promise<void>

/** An open orb-learning database: the handle every capability takes as its first argument. */
export interface Store {
  readonly path: string
  readonly config: Config
  readonly embedder: Embedder
  /** Run read-only work on a pooled reader connection. */
  read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>
  /** Run work on the single writer connection, between write batches (exclusive). */
  withWriter<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T>
  /** Queue validated executions for the group-commit writer; resolves after COMMIT. */
  enqueueWrite(executions: Execution[], whenFull?: 'wait' | 'reject'): Promise<WriteOutcome[]>
  /** Be told of every committed batch (search index, rollups). Returns the unsubscribe function. */
  onCommit(listener: CommitListener): () => void
  /** Be told once when the database closes, after the last write and before the connections go (index save). */
  onClose(listener: () => void | Promise<void>): void
  /**
   * Run `fn` while the database file stays as the last checkpoint left it: commits go on, into the WAL only,
   * and no checkpoint of any kind runs until `fn` settles. The file plus a copy of the WAL taken while holding
   * the writer is then a consistent snapshot (an online backup copies them).
   */
  holdCheckpoints<T>(fn: () => Promise<T>): Promise<T>
  /** CHECKPOINT now, unless `holdCheckpoints` holds the file (then the next idle checkpoint does it); true if it ran. */
  checkpoint(): Promise<boolean>
  /** Records waiting for or in the write transaction. */
  readonly queueDepth: number
  poolStats(): PoolStats
  /** Drain the write queue, close connections, then the instance. Safe to call twice. */
  close(): Promise<void>
}

const IDLE_CHECKPOINT_MS = 1000
// A WAL size DuckDB never reaches: no automatic checkpoint while the file is held still.
const NEVER_CHECKPOINT = '1000000GB'
const shared = new Map<string, Promise<SharedDatabase>>()

/**
 * Open (or join) the store for a database file. One DuckDB instance per path and process.
 * @example
 * const store = await openStore({ path: 'data/learning.duckdb' })
 * await recordExecution(store, { task_type: 'refactor', ... })
 * await store.close()
 */
export async function openStore(options: Partial<Options> = {}): Promise<Store> {
  registerDerivedDataHooks()
  const config = resolveConfig(options)
  const key = config.path === ':memory:' ? undefined : resolve(config.path)
  if (key === undefined) {
    const db = await SharedDatabase.open(config)
    db.refs++
    return new StoreHandle(db)
  }
  let opening = shared.get(key)
  if (!opening) {
    const recovered = recoverInterruptedRestore(key)
    if (recovered) process.emitWarning(`orb-learning: ${recovered} (${key})`)
    opening = SharedDatabase.open(config)
    shared.set(key, opening)
    opening.catch(() => shared.delete(key))
  }
  const db = await opening
  if (db.config.readOnly !== config.readOnly) {
    throw new LearningError(
      'conflict',
      `database ${config.path} is already open in this process with readOnly=${db.config.readOnly}`,
    )
  }
  db.refs++
  db.onLastClose = () => shared.delete(key)
  return new StoreHandle(db)
}

/** Whether this process has the database file open through `openStore` (a restore must not swap it). */
export function isStoreOpen(path: string): boolean {
  return shared.has(resolve(path))
}

class SharedDatabase {
  refs = 0
  /** `holdCheckpoints` calls in progress: while above 0, nothing may checkpoint. */
  fileHolds = 0
  onLastClose: (() => void) | undefined
  readonly listeners = new Set<CommitListener>()
  readonly closeListeners: (() => void | Promise<void>)[] = []
  readonly writerLock = new Exclusive()
  readonly queue: GroupCommitQueue<Execution, WriteOutcome>
  readonly executionWriter: ExecutionWriter | undefined
  #closing: Promise<void> | undefined
  #checkpointTimer: NodeJS.Timeout | undefined

  private constructor(
    readonly config: Config,
    readonly instance: DuckDBInstance,
    readonly writer: DuckDBConnection | undefined,
    readonly pool: ConnectionPool,
    readonly embedder: Embedder,
  ) {
    this.executionWriter = writer ? new ExecutionWriter(writer) : undefined
    this.queue = new GroupCommitQueue((batch) => this.#writeBatch(batch), {
      maxQueued: config.maxQueuedRecords,
      maxBatch: config.maxBatchRecords,
      prepare: (batch) => this.#embedMissing(batch),
    })
  }

  static async open(config: Config): Promise<SharedDatabase> {
    const instance = await openDatabase(config.path, config)
    let writer: DuckDBConnection | undefined
    let embedder: Embedder | undefined
    try {
      const chosen = await createEmbedder(config)
      embedder = chosen
      const pool = new ConnectionPool(instance, {
        size: config.poolSize,
        overflow: config.poolOverflow,
        setup: setupConnection,
      })
      if (!config.readOnly) {
        writer = await instance.connect()
        await setupConnection(writer)
        await migrate(writer)
        await writer.run('SET checkpoint_threshold = $threshold', { threshold: config.checkpointThreshold })
        await checkEmbedder(writer, chosen, config.acceptEmbedderChange)
      } else {
        await pool.use(async (conn) => {
          if ((await schemaVersion(conn).catch(() => 0)) === 0) {
            throw new LearningError(
              'not_found',
              `database ${config.path} has no orb-learning schema; run 'orb-learning init'`,
            )
          }
          await checkEmbedder(conn, chosen, false)
        })
      }
      return new SharedDatabase(config, instance, writer, pool, chosen)
    } catch (error) {
      await embedder?.close?.()
      writer?.closeSync()
      instance.closeSync()
      throw error
    }
  }

  // Runs while the previous batch commits (the queue pipelines the two stages).
  async #embedMissing(batch: Execution[]): Promise<void> {
    const missing = batch.filter((e) => e.embedding === null)
    if (missing.length === 0) return
    const vectors = await this.embedder.embed(missing.map(embeddingText))
    missing.forEach((e, i) => {
      e.embedding = vectors[i] ?? null
    })
  }

  async #writeBatch(batch: Execution[]): Promise<WriteOutcome[]> {
    const started = performance.now()
    const uploadedAt = new Date()
    const outcomes = await this.writerLock.run(() => this.executionWriter!.write(batch, uploadedAt))
    const info: CommitInfo = {
      seconds: (performance.now() - started) / 1000,
      updated: outcomes.filter((o) => o.status === 'updated').length,
      replaced: replacedTaskIds(batch, outcomes),
      uploadedAt,
    }
    this.#scheduleIdleCheckpoint()
    const written = batch.filter((_, i) => outcomes[i]!.status !== 'rejected')
    if (written.length > 0) await this.#notify(written, info)
    return outcomes
  }

  // Checkpoint (fold the WAL into the file) once writes pause, so that commits under load rarely pay for it.
  #scheduleIdleCheckpoint(): void {
    clearTimeout(this.#checkpointTimer)
    this.#checkpointTimer = setTimeout(() => {
      if (this.#closing) return
      if (this.queue.depth > 0) return this.#scheduleIdleCheckpoint()
      this.writerLock
        .run(() => this.checkpointUnlessHeld(this.writer!))
        // Held (a backup copies the file), or busy (a long read holds an old snapshot): try again later.
        .then((ran) => ran || this.#scheduleIdleCheckpoint())
        .catch(() => this.#scheduleIdleCheckpoint())
    }, IDLE_CHECKPOINT_MS)
    this.#checkpointTimer.unref()
  }

  async #notify(written: Execution[], info: CommitInfo): Promise<void> {
    for (const listener of this.listeners) {
      // The batch is committed; a listener failure must not turn an acknowledged write into an error.
      // Listeners own their recovery (the search index reconciles at open).
      await Promise.resolve()
        .then(() => listener(written, info))
        .catch((error) => process.emitWarning(`orb-learning commit listener failed: ${String(error)}`))
    }
  }

  get closed(): boolean {
    return this.#closing !== undefined
  }

  /**
   * CHECKPOINT unless `holdCheckpoints` holds the file; true if it ran. Call holding the writer lock, so that
   * a hold cannot start between the check and the checkpoint.
   */
  async checkpointUnlessHeld(writer: DuckDBConnection): Promise<boolean> {
    if (this.fileHolds > 0) return false
    await writer.run('CHECKPOINT')
    return true
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.queue.close()
      clearTimeout(this.#checkpointTimer)
      await this.writerLock.run(async () => undefined)
      for (const listener of this.closeListeners) {
        await Promise.resolve()
          .then(listener)
          .catch((error) => process.emitWarning(`orb-learning close listener failed: ${String(error)}`))
      }
      this.pool.close()
      await this.embedder.close?.()
      this.executionWriter?.close()
      this.writer?.closeSync()
      this.instance.closeSync()
    })()
    return this.#closing
  }
}

async function checkEmbedder(
  conn: DuckDBConnection,
  embedder: Embedder,
  acceptChange: boolean,
): Promise<void> {
  const stored = await getMetadata(conn, 'embedder_id')
  if (stored === embedder.id) return
  // Re-embedding (orb-learning reindex --reembed) records the new embedder id when it has finished.
  if (acceptChange) return
  if (stored !== undefined) {
    const reader = await conn.runAndReadAll('SELECT count(*) FROM executions WHERE embedding IS NOT NULL')
    if (Number(reader.getRowsJS()[0]?.[0] ?? 0) > 0) {
      throw new LearningError(
        'conflict',
        `this database's vectors were made by embedder '${stored}', but the store was opened with '${embedder.id}'; ` +
          `open it with '${stored}', or re-embed everything with 'orb-learning reindex --reembed'`,
      )
    }
  }
  if (!(await isReadOnly(conn))) await setMetadata(conn, 'embedder_id', embedder.id)
}

async function isReadOnly(conn: DuckDBConnection): Promise<boolean> {
  const reader = await conn.runAndReadAll("SELECT current_setting('access_mode')")
  return String(reader.getRowsJS()[0]?.[0]).toLowerCase() === 'read_only'
}

class StoreHandle implements Store {
  readonly #db: SharedDatabase
  #closed = false

  constructor(db: SharedDatabase) {
    this.#db = db
  }

  get path(): string {
    return this.#db.config.path
  }
  get config(): Config {
    return this.#db.config
  }
  get embedder(): Embedder {
    return this.#db.embedder
  }
  get queueDepth(): number {
    return this.#db.queue.depth
  }

  read<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.#assertOpen()
    return this.#db.pool.use(fn)
  }

  withWriter<T>(fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
    this.#assertOpen()
    const writer = this.#db.writer
    if (!writer) throw new LearningError('conflict', `database ${this.path} is open read-only`)
    return this.#db.writerLock.run(() => fn(writer))
  }

  async holdCheckpoints<T>(fn: () => Promise<T>): Promise<T> {
    const db = this.#db
    // Under the writer lock: no checkpoint (idle, automatic inside a commit) is running while the hold starts.
    await this.withWriter(async (writer) => {
      if (db.fileHolds === 0) await writer.run(`SET checkpoint_threshold = '${NEVER_CHECKPOINT}'`)
      db.fileHolds++
    })
    try {
      return await fn()
    } finally {
      await db.writerLock.run(async () => {
        if (--db.fileHolds === 0 && !db.closed)
          await db.writer!.run('SET checkpoint_threshold = $threshold', {
            threshold: db.config.checkpointThreshold,
          })
      })
    }
  }

  checkpoint(): Promise<boolean> {
    return this.withWriter((writer) => this.#db.checkpointUnlessHeld(writer))
  }

  enqueueWrite(executions: Execution[], whenFull: 'wait' | 'reject' = 'wait'): Promise<WriteOutcome[]> {
    this.#assertOpen()
    if (!this.#db.writer) throw new LearningError('conflict', `database ${this.path} is open read-only`)
    return this.#db.queue.enqueue(executions, whenFull)
  }

  onCommit(listener: CommitListener): () => void {
    this.#db.listeners.add(listener)
    return () => this.#db.listeners.delete(listener)
  }

  onClose(listener: () => void | Promise<void>): void {
    this.#db.closeListeners.push(listener)
  }

  poolStats(): PoolStats {
    return this.#db.pool.stats()
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (--this.#db.refs > 0) return
    this.#db.onLastClose?.()
    await this.#db.close()
  }

  #assertOpen(): void {
    if (this.#closed) throw new LearningError('unavailable', 'the store is closed')
  }
}

/** task_ids of `batch` whose row existed before it: the first record of a task_id says (the writer's rule). */
function replacedTaskIds(batch: readonly Execution[], outcomes: readonly WriteOutcome[]): Set<string> {
  const seen = new Set<string>()
  const replaced = new Set<string>()
  batch.forEach((e, i) => {
    if (seen.has(e.task_id)) return
    seen.add(e.task_id)
    if (outcomes[i]!.status === 'updated') replaced.add(e.task_id)
  })
  return replaced
}
