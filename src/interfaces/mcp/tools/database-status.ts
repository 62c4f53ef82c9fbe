import { z } from 'zod'
import { getDatabaseStatus } from '../../../ops/database-status.js'
import { defineTool } from '../tool.js'

/** `database_status`: rows, size, schema version, embedder, time span and write-queue depth. */
export const databaseStatusTool = defineTool({
  name: 'database_status',
  title: 'Database status',
  description:
    'Summarise the learning database: number of executions and feedback rows, file and WAL size, schema ' +
    'version, embedder, first and last execution timestamp, and records waiting in the write queue. ' +
    'Call it first to check that the database is reachable and has data.',
  scope: 'read',
  input: z.object({}),
  output: z.object({
    path: z.string(),
    record_count: z.number(),
    feedback_count: z.number(),
    size_bytes: z.number(),
    wal_bytes: z.number(),
    schema_version: z.number(),
    embedder: z.string().nullable(),
    first_timestamp: z.string().nullable(),
    last_timestamp: z.string().nullable(),
    queue_depth: z.number(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: (store) => getDatabaseStatus(store),
})
