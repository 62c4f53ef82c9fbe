// `npm run bench:write-floor -- [--rows N] [--lone N]`: what DuckDB itself costs per stored execution,
// without our validation, embedding or queue. The same pre-validated, pre-embedded records go through the
// store's writer (DataChunk appender, one transaction per batch) into four tables that differ only in what
// the schema asks DuckDB to maintain: nothing, the primary key, the key plus the CHECKs and generated
// columns, and the shipped schema (plus the review's five indexes). Reports the CPU per row of all threads
// (checkpoint included), rows/s, and the latency of one-row transactions. Progress on stderr.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { DuckDBInstance } from '@duckdb/node-api'
import { resolveConfig } from '../src/config.js'
import { MIGRATIONS } from '../src/db/migrations.js'
import { ExecutionWriter } from '../src/ingest/execution-writer.js'
import { EXECUTION_COLUMNS, type Execution, embeddingText, parseExecution } from '../src/record.js'
import { embedderFromSpec } from '../src/search/embedder-spec.js'
import { generateRecords } from './generate-records.js'
import { percentile } from './percentile.js'

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    batch: { type: 'string', default: '1000' },
    lone: { type: 'string', default: '200' },
  },
})
const rows = Number(args.rows)
const batchSize = Number(args.batch)
const loneCount = Number(args.lone)
const log = (message: string) => process.stderr.write(`[bench:write-floor] ${message}\n`)

const [executionsDdl, ...reviewIndexes] = MIGRATIONS[0]!.statements.filter(
  (s) => s.includes(' executions ') || s.includes(' executions('),
)

/** Each variant starts from an empty file; `setup` leaves an `executions` table of the 27 columns. */
const VARIANTS: { name: string; setup: string[] }[] = [
  { name: 'bare table (no key, CHECK, default or index)', setup: bare() },
  {
    name: '+ primary key on task_id',
    setup: [...bare(), 'ALTER TABLE executions ADD PRIMARY KEY (task_id)'],
  },
  { name: '+ CHECKs, defaults, generated columns (shipped DDL, no index)', setup: [executionsDdl!] },
  { name: '+ the review five indexes (the shipped schema)', setup: [executionsDdl!, ...reviewIndexes] },
]

/** The shipped table copied without anything DuckDB must check or maintain. */
function bare(): string[] {
  return [
    executionsDdl!.replace('CREATE TABLE IF NOT EXISTS executions', 'CREATE TABLE shipped'),
    `CREATE TABLE executions AS SELECT ${EXECUTION_COLUMNS.join(', ')} FROM shipped LIMIT 0`,
    'DROP TABLE shipped',
  ]
}

interface Result {
  variant: string
  embeddings: boolean
  rowsPerSecond: number
  cpuUsPerRow: number
  checkpointMs: number
  loneP50: number
  loneP99: number
}

async function measure(variant: (typeof VARIANTS)[number], records: Execution[], dir: string) {
  const path = join(dir, 'floor.duckdb')
  rmSync(path, { force: true })
  rmSync(`${path}.wal`, { force: true })
  const instance = await DuckDBInstance.create(path)
  const conn = await instance.connect()
  try {
    // The store's own setting: a checkpoint inside a commit once the WAL passes this size.
    await conn.run('SET checkpoint_threshold = $t', { t: resolveConfig().checkpointThreshold })
    for (const statement of variant.setup) await conn.run(statement)
    const writer = new ExecutionWriter(conn)
    const bulk = records.slice(0, rows)
    const cpu0 = process.cpuUsage()
    const t0 = performance.now()
    for (let start = 0; start < bulk.length; start += batchSize) {
      await writer.write(bulk.slice(start, start + batchSize))
    }
    const writeMs = performance.now() - t0
    await conn.run('CHECKPOINT')
    const checkpointMs = performance.now() - t0 - writeMs
    const cpu = process.cpuUsage(cpu0)
    const lone: number[] = []
    for (const record of records.slice(rows)) {
      const s = performance.now()
      await writer.write([record])
      lone.push(performance.now() - s)
    }
    writer.close()
    return {
      rowsPerSecond: bulk.length / (writeMs / 1000),
      cpuUsPerRow: (cpu.user + cpu.system) / bulk.length,
      checkpointMs,
      loneP50: percentile(lone, 0.5),
      loneP99: percentile(lone, 0.99),
    }
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

async function main() {
  const plain = generateRecords(rows + loneCount).map((r) => parseExecution(r))
  log(`embedding ${plain.length} records with the builtin embedder ...`)
  const embedder = embedderFromSpec({ kind: 'builtin', vectorsPath: resolveConfig().wordVectorsPath })
  const vectors = await embedder.embed(plain.map(embeddingText))
  const embedded = plain.map((e, i) => ({ ...e, embedding: vectors[i] ?? null }))
  const dir = mkdtempSync(join(tmpdir(), 'orb-learning-floor-'))
  const results: Result[] = []
  try {
    for (const variant of VARIANTS) {
      for (const [embeddings, records] of [
        [true, embedded],
        [false, plain],
      ] as const) {
        log(`${variant.name}, ${embeddings ? 'with' : 'without'} embeddings ...`)
        const r = await measure(variant, records, dir)
        log(`  ${Math.round(r.rowsPerSecond)} rows/s, ${r.cpuUsPerRow.toFixed(0)} µs CPU/row`)
        results.push({ variant: variant.name, embeddings, ...r })
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const ms = (x: number) => x.toFixed(1)
  process.stdout.write(
    [
      `Command: \`npm run bench:write-floor -- --rows ${rows} --batch ${batchSize} --lone ${loneCount}\``,
      '',
      `| schema | embedding FLOAT[384] | rows/s, batches of ${batchSize} | CPU µs/row (all threads, checkpoint included) | final checkpoint ms | one-row transaction p50 ms | p99 ms |`,
      '|---|---|---:|---:|---:|---:|---:|',
      ...results.map(
        (r) =>
          `| ${r.variant} | ${r.embeddings ? 'builtin vectors' : 'NULL'} | ${Math.round(r.rowsPerSecond)} | ${r.cpuUsPerRow.toFixed(0)} | ${Math.round(r.checkpointMs)} | ${ms(r.loneP50)} | ${ms(r.loneP99)} |`,
      ),
      '',
    ].join('\n'),
  )
}

await main()
