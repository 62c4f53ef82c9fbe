import { existsSync } from 'node:fs'
import { LearningError } from '../errors.js'
import { recordExecutions } from '../ingest/record-executions.js'
import type { Store } from '../store.js'
import type { ProgressListener } from './progress.js'
import { readJsonLines } from './read-jsonl.js'
import { readTabular } from './read-tabular.js'
import type { RecordSource } from './source-row.js'
import { resolveFormat, type TransferFormat } from './transfer-format.js'

/** One record of an import file that was not stored: its line (JSONL, CSV) or row (Parquet), and why. */
export interface ImportRejection {
  line: number
  task_id?: string
  error: string
}

/** Options of `importExecutions`. */
export interface ImportOptions {
  /** File format; default from the file's extension (.jsonl, .csv, .parquet). */
  format?: string
  /** Records per write. Default 5,000. */
  batchSize?: number
  /** Rejections kept in the report (all of them reach `onRejection`). Default 1,000. */
  maxReportedRejections?: number
  onProgress?: ProgressListener
  onRejection?: (rejection: ImportRejection) => void
}

/** What an import did: rows read, stored, replaced and refused. */
export interface ImportReport {
  file: string
  format: TransferFormat
  rows: number
  inserted: number
  updated: number
  rejected: number
  /** The first `maxReportedRejections` rejections, in file order. */
  rejections: ImportRejection[]
  seconds: number
}

/**
 * Stream a JSONL, CSV or Parquet file of executions into the store through `recordExecutions`: bad
 * records are reported by line and never cost the others; a task_id already stored is updated.
 * @example
 * const report = await importExecutions(store, 'backup/executions.parquet')
 * if (report.rejected > 0) console.error(report.rejections)
 */
export async function importExecutions(
  store: Store,
  file: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const format = resolveFormat(file, options.format)
  if (!existsSync(file)) throw new LearningError('not_found', `import file ${file} does not exist`)
  const source: RecordSource = format === 'jsonl' ? readJsonLines(file) : await readTabular(file, format)
  const batchSize = options.batchSize ?? 5_000
  const keep = options.maxReportedRejections ?? 1_000
  const report: ImportReport = {
    file,
    format,
    rows: 0,
    inserted: 0,
    updated: 0,
    rejected: 0,
    rejections: [],
    seconds: 0,
  }
  const started = performance.now()
  const reject = (rejection: ImportRejection) => {
    report.rejected++
    if (report.rejections.length < keep) report.rejections.push(rejection)
    options.onRejection?.(rejection)
  }
  const progress = () =>
    options.onProgress?.({
      rows: report.rows,
      total: source.total,
      fraction: source.fraction(),
      elapsedMs: performance.now() - started,
    })

  const write = async (records: unknown[], lines: number[]) => {
    const result = await recordExecutions(store, records)
    report.inserted += result.inserted
    report.updated += result.updated
    for (const r of result.rejected) {
      reject({
        line: lines[r.index]!,
        ...(r.task_id === undefined ? {} : { task_id: r.task_id }),
        error: r.error,
      })
    }
    progress()
  }

  // One batch is written while the next is read: memory stays at about two batches.
  let pending: Promise<void> = Promise.resolve()
  let records: unknown[] = []
  let lines: number[] = []
  for await (const row of source.rows) {
    report.rows++
    if ('error' in row) {
      reject({ line: row.line, error: row.error })
      continue
    }
    records.push(row.record)
    lines.push(row.line)
    if (records.length < batchSize) continue
    await pending
    pending = write(records, lines)
    pending.catch(() => undefined) // awaited above; this only keeps it from counting as unhandled meanwhile
    records = []
    lines = []
  }
  await pending
  if (records.length > 0) await write(records, lines)
  report.rejections.sort((a, b) => a.line - b.line)
  report.seconds = (performance.now() - started) / 1000
  progress()
  return report
}
