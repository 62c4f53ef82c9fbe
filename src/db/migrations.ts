import type { DuckDBConnection } from '@duckdb/node-api'
import { ANALYTICS_MIGRATION } from '../analytics/rollup-schema.js'
import { LEARNING_MIGRATION } from '../learning/learning-migration.js'
import { OPS_MIGRATION } from '../ops/ops-migration.js'
import { MAX_NAME_LENGTH, MAX_TEXT_LENGTH } from '../record.js'

/** One schema step. `up` runs inside a transaction and must be safe to re-run after a crash before commit. */
export interface Migration {
  readonly version: number
  readonly name: string
  readonly statements: readonly string[]
}

const nameCheck = (col: string, nullable = false) =>
  `CHECK (${nullable ? `${col} IS NULL OR ` : ''}(length(trim(${col})) > 0 AND length(${col}) <= ${MAX_NAME_LENGTH}))`
const textCheck = (col: string, nullable = false) =>
  `CHECK (${nullable ? `${col} IS NULL OR ` : ''}length(${col}) <= ${MAX_TEXT_LENGTH})`
const nonNegative = (col: string) => `CHECK (${col} IS NULL OR (${col} >= 0 AND isfinite(${col})))`

/** The `executions` table: the review's 27 columns, DESIGN.md's rules as CHECKs, three derived columns. */
export const EXECUTIONS_DDL = `CREATE TABLE IF NOT EXISTS executions (
  task_id UUID PRIMARY KEY,
  timestamp TIMESTAMP NOT NULL CHECK (timestamp <= now()::TIMESTAMP + INTERVAL 5 MINUTE),
  task_type VARCHAR NOT NULL ${nameCheck('task_type')},
  task_description VARCHAR NOT NULL CHECK (length(trim(task_description)) > 0 AND length(task_description) <= ${MAX_TEXT_LENGTH}),
  repo VARCHAR NOT NULL ${nameCheck('repo')},
  file_count INTEGER NOT NULL DEFAULT 0 CHECK (file_count >= 0),
  estimated_tokens INTEGER NOT NULL DEFAULT 0 CHECK (estimated_tokens >= 0),
  model_tier VARCHAR NOT NULL ${nameCheck('model_tier')},
  pool_type VARCHAR NOT NULL ${nameCheck('pool_type')},
  swarm_topology VARCHAR ${nameCheck('swarm_topology', true)},
  routing_confidence FLOAT NOT NULL CHECK (routing_confidence BETWEEN 0 AND 1),
  complexity_score INTEGER NOT NULL CHECK (complexity_score BETWEEN 0 AND 100),
  success BOOLEAN NOT NULL,
  duration_seconds FLOAT NOT NULL ${nonNegative('duration_seconds')},
  quality_score INTEGER CHECK (quality_score IS NULL OR quality_score BETWEEN 0 AND 100),
  cost_estimate FLOAT NOT NULL ${nonNegative('cost_estimate')},
  actual_cost FLOAT NOT NULL ${nonNegative('actual_cost')},
  error_type VARCHAR ${nameCheck('error_type', true)},
  error_message VARCHAR ${textCheck('error_message', true)},
  user_accepted BOOLEAN,
  user_rating INTEGER CHECK (user_rating IS NULL OR user_rating BETWEEN 1 AND 5),
  peak_memory_mb FLOAT ${nonNegative('peak_memory_mb')},
  cpu_time_seconds FLOAT ${nonNegative('cpu_time_seconds')},
  solution_summary VARCHAR ${textCheck('solution_summary', true)},
  embedding FLOAT[384],
  metadata JSON CHECK (metadata IS NULL OR json_type(metadata) = 'OBJECT'),
  uploaded_at TIMESTAMP DEFAULT now()::TIMESTAMP,
  cost_error_pct DOUBLE GENERATED ALWAYS AS (
    CASE WHEN cost_estimate > 0 THEN abs(actual_cost - cost_estimate) / cost_estimate * 100 END) VIRTUAL,
  cost_error_abs DOUBLE GENERATED ALWAYS AS (abs(actual_cost - cost_estimate)) VIRTUAL,
  duration_bucket VARCHAR GENERATED ALWAYS AS (
    CASE WHEN duration_seconds < 10 THEN 'fast' WHEN duration_seconds < 60 THEN 'medium' ELSE 'slow' END) VIRTUAL
)`

/** Ordered, idempotent migrations; a version is applied once and recorded in `schema_migrations`. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'executions, feedback, metadata and the review indexes',
    statements: [
      EXECUTIONS_DDL,
      // The review's five composite indexes. DuckDB has no INCLUDE, partial or BRIN indexes: see docs/schema.md.
      'CREATE INDEX IF NOT EXISTS idx_executions_repo_task ON executions (repo, task_type, timestamp DESC)',
      'CREATE INDEX IF NOT EXISTS idx_executions_tier_success ON executions (model_tier, success, timestamp DESC)',
      'CREATE INDEX IF NOT EXISTS idx_executions_pool_duration ON executions (pool_type, success, duration_seconds)',
      'CREATE INDEX IF NOT EXISTS idx_executions_quality_trend ON executions (repo, quality_score, timestamp DESC)',
      'CREATE INDEX IF NOT EXISTS idx_executions_timestamp ON executions (timestamp DESC)',
      `CREATE TABLE IF NOT EXISTS feedback (
        feedback_id UUID PRIMARY KEY,
        task_id UUID NOT NULL,
        timestamp TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP,
        satisfaction VARCHAR CHECK (satisfaction IS NULL OR satisfaction IN ('excellent', 'good', 'fair', 'poor')),
        rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
        accepted BOOLEAN,
        issue_type VARCHAR CHECK (issue_type IS NULL OR issue_type IN ('wrong_model', 'too_slow', 'poor_quality', 'other')),
        comment VARCHAR CHECK (comment IS NULL OR length(comment) <= 2000),
        user_id VARCHAR,
        visibility VARCHAR NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'team', 'public'))
      )`,
      'CREATE INDEX IF NOT EXISTS idx_feedback_task ON feedback (task_id)',
      `CREATE TABLE IF NOT EXISTS metadata (
        key VARCHAR PRIMARY KEY,
        value VARCHAR,
        updated_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP
      )`,
    ],
  },
  ANALYTICS_MIGRATION,
  LEARNING_MIGRATION,
  OPS_MIGRATION,
]

/** Highest schema version this build knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version))

/** Apply every migration the database has not recorded yet, in version order, each in its own transaction. */
export async function migrate(conn: DuckDBConnection): Promise<number> {
  await conn.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT now()::TIMESTAMP)`)
  const applied = new Set(
    (await conn.runAndReadAll('SELECT version FROM schema_migrations')).getRowsJS().map((r) => Number(r[0])),
  )
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue
    await conn.run('BEGIN TRANSACTION')
    try {
      for (const statement of migration.statements) await conn.run(statement)
      await conn.run('INSERT INTO schema_migrations (version, name) VALUES ($version, $name)', {
        version: migration.version,
        name: migration.name,
      })
      await conn.run('COMMIT')
    } catch (error) {
      await conn.run('ROLLBACK')
      throw error
    }
  }
  return SCHEMA_VERSION
}

/** The highest applied migration, 0 for a new database. */
export async function schemaVersion(conn: DuckDBConnection): Promise<number> {
  const reader = await conn.runAndReadAll('SELECT coalesce(max(version), 0) AS v FROM schema_migrations')
  return Number(reader.getRowsJS()[0]?.[0] ?? 0)
}
