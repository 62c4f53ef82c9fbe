import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api'
import { errorMessage, LearningError } from '../errors.js'

/** Settings for one DuckDB instance. */
export interface DatabaseSettings {
  readOnly: boolean
  memoryLimit: string
  threads: number | undefined
}

/** Open a DuckDB file (creating its folder), translating a held lock into an error that says what to do. */
export async function openDatabase(path: string, settings: DatabaseSettings): Promise<DuckDBInstance> {
  if (path !== ':memory:' && !settings.readOnly) mkdirSync(dirname(path), { recursive: true })
  const options: Record<string, string> = {
    memory_limit: settings.memoryLimit,
    // Never reach for the network: extensions we need are built in.
    autoinstall_known_extensions: 'false',
    // DuckDB answers a range filter on an indexed column (timestamp) from the ART index when it expects at most
    // max(2048, 0.1 % of rows) matches, fetching row by row: 5-20x slower than the zone-map scan for the time
    // windows analytics read (docs/performance.md, Analytics). Keep index scans for point lookups (task_id).
    index_scan_max_count: '128',
    index_scan_percentage: '0',
  }
  if (settings.readOnly) options.access_mode = 'READ_ONLY'
  if (settings.threads !== undefined) options.threads = String(settings.threads)
  try {
    return await DuckDBInstance.create(path, options)
  } catch (error) {
    throw translateOpenError(path, error)
  }
}

/** Session settings every connection gets: UTC so that TIMESTAMP columns mean UTC everywhere. */
export async function setupConnection(conn: DuckDBConnection): Promise<void> {
  await conn.run("SET TimeZone = 'UTC'")
}

function translateOpenError(path: string, error: unknown): LearningError {
  const message = errorMessage(error)
  const lock = /Conflicting lock is held in (.+?) \(PID (\d+)\)/.exec(message)
  if (lock) {
    return new LearningError(
      'unavailable',
      `database ${path} is in use by another process (PID ${lock[2]}, ${lock[1]}). ` +
        'Stop that process, or send commands to the running server with --server URL (or ORB_LEARNING_SERVER).',
      { cause: error },
    )
  }
  if (/No such file|does not exist|Cannot open file/i.test(message)) {
    return new LearningError('not_found', `database ${path} cannot be opened: ${message}`, { cause: error })
  }
  return new LearningError('unavailable', `database ${path} cannot be opened: ${message}`, { cause: error })
}
