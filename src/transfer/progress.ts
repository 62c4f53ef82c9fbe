/** How far a long job (import, export, demo) has come; `total` when it is known up front. */
export interface Progress {
  rows: number
  total: number | undefined
  elapsedMs: number
}

/** Called as a long job advances, and once more when it is done. */
export type ProgressListener = (progress: Progress) => void

/** Rows per second and seconds left of a progress report (ETA undefined while the total is unknown). */
export function progressRate(progress: Progress): { rowsPerSecond: number; etaSeconds: number | undefined } {
  const rowsPerSecond = progress.elapsedMs > 0 ? (progress.rows / progress.elapsedMs) * 1000 : 0
  const left = progress.total === undefined ? undefined : Math.max(0, progress.total - progress.rows)
  const etaSeconds = left === undefined || rowsPerSecond === 0 ? undefined : left / rowsPerSecond
  return { rowsPerSecond, etaSeconds }
}
