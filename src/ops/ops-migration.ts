/** Migration 5: `maintenance_log`, one row per retention, archive restore, backup, restore, prune or alert run. */
export const OPS_MIGRATION = {
  version: 5,
  name: 'maintenance_log: retention, backup, restore and alert runs',
  statements: [
    `CREATE TABLE IF NOT EXISTS maintenance_log (
      started_at TIMESTAMP NOT NULL,
      finished_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP,
      job VARCHAR NOT NULL CHECK (job IN ('retention', 'archive_restore', 'backup', 'restore', 'backup_prune', 'alerts')),
      status VARCHAR NOT NULL CHECK (status IN ('ok', 'failed', 'warning')),
      rows_affected BIGINT NOT NULL DEFAULT 0,
      detail JSON
    )`,
  ],
} as const
