import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import { getTierHealth } from '../../analytics/tier-health.js'
import type { RecordResult } from '../../ingest/record-executions.js'
import { listBackups } from '../../ops/backup-retention.js'
import { getDatabaseStatus } from '../../ops/database-status.js'
import type { Store } from '../../store.js'

/** The Prometheus metrics of one server: its own registry, so that several servers in a process never mix. */
export class HttpMetrics {
  readonly registry = new Registry()
  readonly #ingest: Counter<'outcome'>
  readonly #requests: Histogram<'method' | 'route' | 'status'>
  readonly #unsubscribe: () => void

  constructor(store: Store) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry, prefix: 'orb_learning_' })
    this.#ingest = new Counter({
      name: 'orb_learning_ingest_records_total',
      help: 'Execution records received through this server, by outcome (inserted, updated, rejected)',
      labelNames: ['outcome'],
      registers,
    })
    for (const outcome of ['inserted', 'updated', 'rejected']) this.#ingest.inc({ outcome }, 0)
    this.#requests = new Histogram({
      name: 'orb_learning_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    })
    const commits = new Histogram({
      name: 'orb_learning_commit_duration_seconds',
      help: 'Wall time of each group-commit write transaction',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    })
    this.#unsubscribe = store.onCommit((_written, info) => commits.observe(info.seconds))
    new Gauge({
      name: 'orb_learning_write_queue_depth',
      help: 'Records waiting for or in the write transaction',
      registers,
      collect() {
        this.set(store.queueDepth)
      },
    })
    registerDatabaseGauges(store, registers)
  }

  /** Count the outcome of one ingest call (HTTP, OTLP, any face mounted on this server). */
  countIngest(result: Pick<RecordResult, 'inserted' | 'updated' | 'rejected'>): void {
    this.#ingest.inc({ outcome: 'inserted' }, result.inserted)
    this.#ingest.inc({ outcome: 'updated' }, result.updated)
    this.#ingest.inc({ outcome: 'rejected' }, result.rejected.length)
  }

  /** Observe one finished HTTP request. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.#requests.observe({ method, route, status: String(status) }, seconds)
  }

  /** The exposition text for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics()
  }

  /** Stop listening to the store. */
  dispose(): void {
    this.#unsubscribe()
  }
}

function registerDatabaseGauges(store: Store, registers: Registry[]): void {
  // prom-client collects gauges concurrently: each gauge awaits the same per-scrape read.
  const status = perScrape(() => getDatabaseStatus(store))
  const tiers = perScrape(() => getTierHealth(store, { hours: 24 }))
  new Gauge({
    name: 'orb_learning_database_size_bytes',
    help: 'Database file plus WAL, in bytes',
    registers,
    async collect() {
      const s = await status()
      this.set(s.size_bytes + s.wal_bytes)
    },
  })
  new Gauge({
    name: 'orb_learning_executions',
    help: 'Rows in the executions table',
    registers,
    async collect() {
      this.set((await status()).record_count)
    },
  })
  new Gauge({
    name: 'orb_learning_feedback',
    help: 'Rows in the feedback table',
    registers,
    async collect() {
      this.set((await status()).feedback_count)
    },
  })
  new Gauge({
    name: 'orb_learning_tier_success_ratio_24h',
    help: 'Fraction of successful executions over the last 24 hours, by model tier',
    labelNames: ['model_tier'],
    registers,
    async collect() {
      const rows = await tiers()
      this.reset()
      for (const t of rows) this.set({ model_tier: t.model_tier }, t.success_rate)
    },
  })
  new Gauge({
    name: 'orb_learning_tier_duration_p95_seconds_24h',
    help: 'p95 execution duration over the last 24 hours, by model tier',
    labelNames: ['model_tier'],
    registers,
    async collect() {
      const rows = await tiers()
      this.reset()
      for (const t of rows) this.set({ model_tier: t.model_tier }, t.p95_duration_seconds)
    },
  })
  new Gauge({
    name: 'orb_learning_last_backup_age_seconds',
    help: 'Seconds since the newest intact backup (manifest present, size matching); absent when there is none',
    registers,
    collect() {
      const age = lastBackupAgeSeconds(store)
      // No backup: no sample at all (not 0, not NaN), so `absent()` alerts fire and nothing looks fresh.
      if (age === undefined) this.remove()
      else this.set(age)
    },
  })
}

/** Seconds since the newest intact backup of the store's backup directory, or undefined when there is none. */
export function lastBackupAgeSeconds(store: Store, now = Date.now()): number | undefined {
  let newest: string | null | undefined
  try {
    newest = listBackups(store).find((b) => b.intact && b.created_at)?.created_at
  } catch {
    return undefined
  }
  const created = newest ? Date.parse(newest) : Number.NaN
  return Number.isFinite(created) ? Math.max(0, (now - created) / 1000) : undefined
}

/** Share one in-flight read between the gauges of a scrape; a later scrape reads again. */
function perScrape<T>(read: () => Promise<T>, ttlMs = 250): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined
  return () => {
    const now = Date.now()
    if (!cached || now - cached.at > ttlMs) {
      const value = read()
      cached = { at: now, value }
      value.catch(() => {
        cached = undefined
      })
    }
    return cached.value
  }
}
