// npm run bench:ops: retention, backup (under a 1,000 rec/s writer), validation and restore at 1M executions.
// `npm run bench:ops -- --rows 20000` (or ROWS=20000) for a quick run; BENCH_DIR to choose where the ~10 GB go.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { archiveExpired } from '../src/ops/archive-expired.js'
import { backupDatabase } from '../src/ops/backup-database.js'
import { restoreFromBackup } from '../src/ops/restore-from-backup.js'
import { validateBackup } from '../src/ops/validate-backup.js'
import { openStore, type Store } from '../src/store.js'

const rowsFlag = process.argv.indexOf('--rows')
const ROWS = Number(rowsFlag >= 0 ? process.argv[rowsFlag + 1] : (process.env.ROWS ?? 1_000_000))
if (!Number.isInteger(ROWS) || ROWS < 1000) {
  process.stderr.write(
    `--rows must be an integer >= 1000, got ${process.argv[rowsFlag + 1] ?? process.env.ROWS}\n`,
  )
  process.exit(2)
}
const RATE = 1000
// OPS_MEMORY_LIMIT (e.g. 4GB) sets DuckDB's buffer pool; the store's default is 2GB.
const memory = process.env.OPS_MEMORY_LIMIT ? { memoryLimit: process.env.OPS_MEMORY_LIMIT } : {}
const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'orb-ops-bench-'))
const path = join(dir, 'learning.duckdb')
const log = (s: string): void => {
  process.stderr.write(`[bench:ops] ${s}\n`)
}
const mb = (b: number) => (b / 1_048_576).toFixed(1)
const secs = (ms: number) => (ms / 1000).toFixed(1)

/**
 * `count` rows in SQL over range(), timestamps spread evenly over the last `spanDays` days, a different
 * pseudo-random 384-d embedding per row (hash of row and dimension: the worst case for compression);
 * `first` numbers the rows so that a second call makes new ones.
 */
async function generate(store: Store, count: number, spanDays: number, first = 0): Promise<void> {
  const chunk = 100_000
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done)
    await store.withWriter((c) =>
      c.run(
        `INSERT INTO executions (task_id, timestamp, task_type, task_description, repo, file_count, estimated_tokens,
           model_tier, pool_type, routing_confidence, complexity_score, success, duration_seconds, quality_score,
           cost_estimate, actual_cost, error_type, solution_summary, embedding, metadata)
         SELECT uuid(), now()::TIMESTAMP - to_milliseconds(((($done + i) + 0.5) * $span * 86400000 / $count)::BIGINT),
           ['refactor','bugfix','feature','test','docs'][1 + i % 5], 'Task ' || i || ': refactor the parser of module ' || (i % 997),
           'orb/repo-' || (i % 20), (i % 30)::INT, (1000 + i % 9000)::INT, ['small','medium','large'][1 + i % 3],
           ['mahavishnu','swarm'][1 + i % 2], (i % 100) / 100, (i % 101)::INT, i % 7 <> 0, 5 + (i % 300), (i % 101)::INT,
           0.01 * (i % 50), 0.011 * (i % 50), CASE WHEN i % 7 = 0 THEN 'timeout' END, 'Split into smaller functions',
           list_transform(range(384), x -> ((hash(($first + $done + i) * 384 + x) % 2000001)::FLOAT / 1000000 - 1))::FLOAT[384], '{"agent":"coder"}'
         FROM range($n) r(i)`,
        { done, count, n, span: spanDays, first },
      ),
    )
    log(`generated ${done + n} / ${count}`)
  }
  await store.withWriter((c) => c.run('CHECKPOINT'))
}

/** One record of the live writer that runs beside retention and backup. */
function liveRecord(task_description: string) {
  return {
    task_type: 'refactor',
    task_description,
    repo: 'orb/live',
    model_tier: 'medium',
    pool_type: 'mahavishnu',
    routing_confidence: 0.7,
    complexity_score: 40,
    success: true,
    duration_seconds: 10,
    cost_estimate: 0.01,
    actual_cost: 0.01,
  }
}

/** Record RATE executions per second in batches of 10 until stopped; returns the slowest acknowledgement. */
function startWriter(store: Store): {
  stop: () => Promise<{ written: number; maxAckMs: number; p99AckMs: number }>
} {
  let running = true
  let written = 0
  const acks: number[] = []
  const loop = (async () => {
    const start = performance.now()
    while (running) {
      const due = Math.floor(((performance.now() - start) / 1000) * RATE)
      if (written >= due) {
        await new Promise((r) => setTimeout(r, 5))
        continue
      }
      const t = performance.now()
      const batch = Array.from({ length: 10 }, (_, i) => liveRecord(`live task ${written + i}`))
      void recordExecutions(store, batch).then(() => acks.push(performance.now() - t))
      written += batch.length
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      while (acks.length * 10 < written) await new Promise((r) => setTimeout(r, 10))
      const sorted = [...acks].sort((a, b) => a - b)
      return {
        written,
        maxAckMs: sorted.at(-1) ?? 0,
        p99AckMs: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      }
    },
  }
}

const rows: [string, string, string][] = []
const push = rows.push.bind(rows)
// Print each measurement as soon as it exists: on a loaded machine the whole run takes long.
rows.push = (...items: [string, string, string][]) => {
  for (const r of items) log(`RESULT | ${r.join(' | ')}`)
  return push(...items)
}
try {
  let store = await openStore({ path, dataDir: dir, ...memory })
  let t = performance.now()
  await generate(store, ROWS, 180)
  log(`generated ${ROWS} rows in ${secs(performance.now() - t)} s, file ${mb(statSync(path).size)} MB`)
  rows.push(['database at start', `${ROWS.toLocaleString('en')} rows`, `${mb(statSync(path).size)} MB`])

  // Warm up the embedder (worker threads, word vectors) so that the baseline measures steady state.
  await recordExecutions(store, [liveRecord('warm up')])
  const warmWriter = startWriter(store)
  await new Promise((r) => setTimeout(r, 5000))
  await warmWriter.stop()
  const baselineWriter = startWriter(store)
  await new Promise((r) => setTimeout(r, 5000))
  const baseline = await baselineWriter.stop()
  const writer = startWriter(store)
  t = performance.now()
  const backup = await backupDatabase(store, { onProgress: (s) => log(`backup: ${s}`) })
  const backupMs = performance.now() - t
  const during = await writer.stop()
  rows.push([
    'backup (online, writer at 1,000 rec/s)',
    `${secs(backupMs)} s`,
    `${mb(backup.bytes)} MB, ${backup.record_count} rows`,
  ])
  rows.push([
    'writer held by the backup',
    `${backup.writer_pause_ms} ms`,
    'while the WAL is copied (the file itself is copied with checkpoints held, the writer free)',
  ])
  rows.push([
    'longest write acknowledgement during backup',
    `${during.maxAckMs.toFixed(0)} ms`,
    `p99 ${during.p99AckMs.toFixed(0)} ms; ${during.written} records written meanwhile`,
  ])
  rows.push([
    'longest write acknowledgement, no backup (5 s baseline after a 5 s warm-up)',
    `${baseline.maxAckMs.toFixed(0)} ms`,
    `p99 ${baseline.p99AckMs.toFixed(0)} ms`,
  ])

  t = performance.now()
  const check = await validateBackup(backup.file)
  rows.push([
    'validateBackup',
    `${secs(performance.now() - t)} s`,
    `valid=${check.valid} ${check.problems.join('; ')}`,
  ])

  const [{ n: before } = { n: 0 }] = await store.read((c) =>
    queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
  )
  const fileBefore = statSync(path).size
  t = performance.now()
  const r = await archiveExpired(store, { days: 90, onProgress: (s) => log(`retention: ${s}`) })
  const retentionMs = performance.now() - t
  const [meta] = await store.read((c) =>
    queryRows<{ c: number; u: number }>(
      c,
      'SELECT sum(total_compressed_size) AS c, sum(total_uncompressed_size) AS u FROM parquet_metadata($f)',
      { f: r.archive_file! },
    ),
  )
  rows.push([
    'retention of the oldest 50 % (archive, verify, delete, checkpoint)',
    `${secs(retentionMs)} s`,
    `${r.archived_count} of ${before} rows archived (the ${ROWS} generated + those the writer added), ${r.deleted_count} deleted`,
  ])
  rows.push([
    'archive size per million rows (ZSTD Parquet, random 384-d embeddings)',
    `${mb((r.bytes / r.archived_count) * 1e6)} MB`,
    `file ${mb(r.bytes)} MB`,
  ])
  rows.push([
    'archive compression ratio (Parquet uncompressed / compressed)',
    `${((meta?.u ?? 0) / (meta?.c ?? 1)).toFixed(2)}x`,
    `database file before retention ${mb(fileBefore)} MB, after ${mb(statSync(path).size)} MB`,
  ])
  // Freed blocks are reused: writing as many new rows as were deleted must not grow the file much.
  const fileAfter = statSync(path).size
  t = performance.now()
  await generate(store, r.deleted_count, 30, ROWS)
  rows.push([
    'refill: as many new rows as retention deleted',
    `${mb(statSync(path).size)} MB`,
    `file after retention ${mb(fileAfter)} MB, before it ${mb(fileBefore)} MB (${secs(performance.now() - t)} s to write)`,
  ])
  await store.close()

  t = performance.now()
  const restored = await restoreFromBackup(backup.file, { path, dataDir: dir })
  rows.push([
    'restoreFromBackup (validate, copy, swap, reopen, count)',
    `${secs(performance.now() - t)} s`,
    `${restored.record_count} rows back`,
  ])
  store = await openStore({ path, dataDir: dir, ...memory })
  await store.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const w = Math.max(...rows.map((r) => r[0].length))
process.stdout.write(
  `| Operation at ${ROWS.toLocaleString('en')} executions | Measured | Detail |\n|---|---|---|\n`,
)
for (const [a, b, c] of rows) process.stdout.write(`| ${a.padEnd(w)} | ${b} | ${c} |\n`)
