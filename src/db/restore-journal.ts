import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { LearningError } from '../errors.js'

/** The state a restore writes before it touches the live file: read back after a crash. */
export interface RestoreJournal {
  state: 'copying' | 'swapping'
  backup: string
  started_at: string
  pid: number
}

/** Path of the restore journal of a database file. */
export function restoreJournalPath(path: string): string {
  return `${path}.restore-journal.json`
}

/** Path the previous database is kept under by a restore. */
export function preRestorePath(path: string): string {
  return `${path}.pre_restore`
}

/**
 * Finish what a killed restore left behind, before anything opens the file: while copying, the live file was not
 * touched (drop the copy); while swapping, put the previous database back. Returns what it did, or undefined.
 * `ownRestore` rolls back a restore of this very process (its check failed).
 */
export function recoverInterruptedRestore(
  path: string,
  options: { ownRestore?: boolean } = {},
): string | undefined {
  const journalPath = restoreJournalPath(path)
  if (!existsSync(journalPath)) return undefined
  let journal: RestoreJournal | undefined
  try {
    journal = JSON.parse(readFileSync(journalPath, 'utf8')) as RestoreJournal
  } catch {
    journal = undefined
  }
  // This process's own restore opens the swapped file to check it: not a crash.
  if (journal?.pid === process.pid && options.ownRestore !== true) return undefined
  if (journal && journal.pid !== process.pid && isAlive(journal.pid)) {
    throw new LearningError(
      'unavailable',
      `database ${path} is being restored by process ${journal.pid}; try again when it has finished`,
    )
  }
  rmSync(`${path}.restoring`, { force: true })
  let action = 'removed an unfinished restore copy; the database was not touched'
  if (journal?.state !== 'copying' && existsSync(preRestorePath(path))) {
    rmSync(path, { force: true })
    rmSync(`${path}.wal`, { force: true })
    renameSync(preRestorePath(path), path)
    if (existsSync(`${preRestorePath(path)}.wal`)) renameSync(`${preRestorePath(path)}.wal`, `${path}.wal`)
    action = 'rolled back an interrupted restore: the previous database is back in place'
  }
  rmSync(journalPath, { force: true })
  return action
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
