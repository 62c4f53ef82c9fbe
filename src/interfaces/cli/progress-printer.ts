import { type Progress, type ProgressListener, progressRate } from '../../transfer/progress.js'
import type { CliIo } from './command.js'

/** A progress listener that prints `label: rows, rows/s, ETA` on stderr at most once a second. */
export function progressPrinter(io: CliIo, label: string, intervalMs = 1000): ProgressListener {
  let last = 0
  return (progress) => {
    const finished = progress.total !== undefined && progress.rows >= progress.total
    if (!finished && progress.elapsedMs - last < intervalMs) return
    last = progress.elapsedMs
    io.stderr.write(`${label}: ${formatProgress(progress)}\n`)
  }
}

/** `12,000 / 20,000 rows, 8,400 rows/s, ETA 1 s` */
export function formatProgress(progress: Progress): string {
  const { rowsPerSecond, etaSeconds } = progressRate(progress)
  const total = progress.total === undefined ? '' : ` / ${progress.total.toLocaleString('en-US')}`
  const eta = etaSeconds === undefined ? '' : `, ETA ${Math.ceil(etaSeconds)} s`
  return `${progress.rows.toLocaleString('en-US')}${total} rows, ${Math.round(rowsPerSecond).toLocaleString('en-US')} rows/s${eta}`
}
