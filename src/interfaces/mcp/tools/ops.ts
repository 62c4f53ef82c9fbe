import { z } from 'zod'
import { checkAlerts } from '../../../ops/check-alerts.js'
import { getStorageStats } from '../../../ops/storage-stats.js'
import { defineTool } from '../tool.js'

/** `database_alerts`: health and storage alerts against the default thresholds. */
export const databaseAlertsTool = defineTool({
  name: 'database_alerts',
  title: 'Database alerts',
  description:
    'Check the database against its alert thresholds (24 h success rate, average duration, size, WAL, ' +
    'backup age) and list every alert with its severity, current value and threshold. Status ok, warning or critical.',
  scope: 'read',
  input: z.object({}),
  output: z.looseObject({ status: z.string(), checked_at: z.string(), alerts: z.array(z.looseObject({})) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: (store) => checkAlerts(store),
})

/** `storage_stats`: size, rows, growth and retention projection of the database. */
export const storageStatsTool = defineTool({
  name: 'storage_stats',
  title: 'Storage statistics',
  description:
    'Report the database file and WAL size, row counts per table, average row size and daily growth, ' +
    'to plan retention and disk space.',
  scope: 'read',
  input: z.object({}),
  output: z.looseObject({ database_path: z.string(), database_size_mb: z.number(), row_count: z.number() }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: (store) => getStorageStats(store),
})
