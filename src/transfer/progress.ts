/** How far a long job (import, export, demo) has come; `total` or `fraction` when known. */
export interface Progress {
  rows: number
  total: number | undefined
  /** Share of the input consumed (0-1), e.g. bytes read of a JSONL file, when the row total is unknown. */
  fraction?: number
  elapsedMs: number
}

/** Called as a long job advances, and once more when it is done. */
export type ProgressListener = (progress: Progress) => void

/** Rows per second and seconds left of a progress report (ETA undefined while unknown). */
export function progressRate(progress: Progress): { rowsPerSecond: number; etaSeconds: number | undefined } {
  const seconds = progress.elapsedMs / 1000
  const rowsPerSecond = seconds > 0 ? progress.rows / seconds : 0
  let etaSeconds: number | undefined
  if (progress.total !== undefined && rowsPerSecond > 0) {
    etaSeconds = Math.max(0, progress.total - progress.rows) / rowsPerSecond
  } else if (progress.fraction !== undefined && progress.fraction > 0) {
    etaSeconds = (seconds * (1 - progress.fraction)) / progress.fraction
  }
  return { rowsPerSecond, etaSeconds }
}
