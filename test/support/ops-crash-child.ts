// A child process for crash tests: runs one ops job and SIGKILLs itself at the chosen step
// (at once, or `delayMs` later while the job goes on). Usage: ops-crash-child.ts JOB DB STEP [DELAY_MS] [FILE]
import { dirname } from 'node:path'
import { archiveExpired } from '../../src/ops/archive-expired.js'
import { backupDatabase } from '../../src/ops/backup-database.js'
import { restoreFromBackup } from '../../src/ops/restore-from-backup.js'
import { openStore } from '../../src/store.js'

const [job, db, step, delay, file] = process.argv.slice(2)
const kill = () => {
  process.stdout.write(`killed at ${step}\n`)
  process.kill(process.pid, 'SIGKILL')
}
const onProgress = (at: string) => {
  if (at !== step) return
  if (delay === undefined || delay === '0') kill()
  else setTimeout(kill, Number(delay))
}
if (job === 'restore') {
  await restoreFromBackup(file!, { path: db!, onProgress })
} else {
  const store = await openStore({ path: db!, dataDir: dirname(db!) })
  if (job === 'archive') await archiveExpired(store, { days: 30, onProgress })
  if (job === 'backup') await backupDatabase(store, { onProgress })
  await store.close()
}
process.stdout.write('finished\n')
