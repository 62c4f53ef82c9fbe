import { resolve } from 'node:path'
import type { Store } from '../store.js'
import type { JobStatus } from './scheduler.js'

/** What is known of a running scheduler: its jobs' status. */
export interface ScheduleSource {
  status(): JobStatus[]
}

const active = new Map<unknown, ScheduleSource>()

// Every handle on the same file sees the scheduler of `serve` (the HTTP app, the MCP server, alerts).
function keyOf(store: Store): unknown {
  return store.path === ':memory:' ? store : resolve(store.path)
}

/** Record (or clear, with undefined) the scheduler running maintenance jobs on a database in this process. */
export function setActiveScheduler(store: Store, source: ScheduleSource | undefined): void {
  if (source) active.set(keyOf(store), source)
  else active.delete(keyOf(store))
}

/** The status of the scheduled jobs of the database, or undefined when no scheduler runs in this process. */
export function activeJobStatuses(store: Store): JobStatus[] | undefined {
  return active.get(keyOf(store))?.status()
}
