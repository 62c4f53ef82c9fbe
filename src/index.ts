// The public API of orb-learning. Every export is listed by hand: a new line here is new public API.

export type { FilterValues } from './analytics/filter-values.js'
export { listFilterValues } from './analytics/filter-values.js'
// Analytics (h4): named queries, rollups, review parity, data quality.
export type { Bucket, QueryParamName, QueryParams, Range, ResolvedParams } from './analytics/query-params.js'
export { BUCKETS, QueryParamsSchema, RANGES } from './analytics/query-params.js'
export type { RunQueryOptions } from './analytics/query-registry.js'
export { getQueryInfo, listQueries, runQuery } from './analytics/query-registry.js'
export type { PanelKind, QueryInfo, QueryResult } from './analytics/query-types.js'
export type { RefreshRollupsOptions, RollupRefreshReport } from './analytics/rollup-refresh.js'
export { invalidateRollups, refreshRollups, watchRollups } from './analytics/rollup-refresh.js'
export type { TierHealth } from './analytics/tier-health.js'
export { getTierHealth } from './analytics/tier-health.js'
export type { Config, EmbedderName, Options } from './config.js'
export { DEFAULTS, resolveConfig } from './config.js'
export type { PoolStats } from './db/connection-pool.js'
export type { LegacyImportReport, LegacyRejection } from './db/legacy-import.js'
export { importLegacyDatabase } from './db/legacy-import.js'
export { MIGRATIONS, SCHEMA_VERSION } from './db/migrations.js'
// Demo data and transfer (h1-foundation)
export type { DemoExecution, DemoOptions } from './demo/generate-executions.js'
export { demoExecutions, generateDemoExecutions } from './demo/generate-executions.js'
export type { SeedDemoOptions, SeedDemoReport } from './demo/seed-demo.js'
export { seedDemo } from './demo/seed-demo.js'
export type { ErrorCode } from './errors.js'
export { LearningError } from './errors.js'
export type { GetExecutionOptions } from './ingest/get-execution.js'
export { getExecution } from './ingest/get-execution.js'
export type { RecordOptions, RecordResult, Rejection } from './ingest/record-executions.js'
export { recordExecution, recordExecutions } from './ingest/record-executions.js'
// HTTP server (h5-http)
export type { CreateAppOptions } from './interfaces/http/app.js'
export { createApp } from './interfaces/http/app.js'
export type { AppOptions, RouteContext } from './interfaces/http/context.js'
export type { RunningServer, ServerOptions } from './interfaces/http/server.js'
export { startServer } from './interfaces/http/server.js'
export type { DatabaseStatus } from './ops/database-status.js'
export { getDatabaseStatus } from './ops/database-status.js'
export type { Execution, ExecutionColumn, ExecutionInput, Validation } from './record.js'
export {
  EMBEDDING_DIMENSIONS,
  EXECUTION_COLUMNS,
  ExecutionSchema,
  embeddingText,
  MAX_NAME_LENGTH,
  MAX_TEXT_LENGTH,
  parseExecution,
  validateExecution,
} from './record.js'
export { createEmbedder } from './search/create-embedder.js'
export type { Embedder } from './search/embedder.js'
export type { SimilarExecution, SimilarPlan } from './search/find-similar.js'
export { find_similar_executions, findSimilar, findSimilarWithPlan } from './search/find-similar.js'
export { HashingEmbedder } from './search/hashing-embedder.js'
export type { HttpEmbedderOptions } from './search/http-embedder.js'
export { HttpEmbedder } from './search/http-embedder.js'
export { getVectorIndex, rebuildVectorIndex, removeFromIndex } from './search/index-registry.js'
export { meanPoolNormalize } from './search/minilm-embedder.js'
export type { ParsedSimilarQuery, SimilarQuery } from './search/similar-query.js'
export {
  MAX_QUERY_LENGTH,
  MAX_SIMILAR_LIMIT,
  parseSimilarQuery,
  SimilarQuerySchema,
} from './search/similar-query.js'
export { WordVectorEmbedder } from './search/word-vector-embedder.js'
export { WorkerPoolEmbedder } from './search/worker-pool-embedder.js'
export type { CommitInfo, CommitListener, Store } from './store.js'
export { openStore } from './store.js'
export type { ExportOptions, ExportReport } from './transfer/export-executions.js'
export { exportExecutions } from './transfer/export-executions.js'
export type { ExportFilter } from './transfer/export-query.js'
export type { ImportOptions, ImportRejection, ImportReport } from './transfer/import-executions.js'
export { importExecutions } from './transfer/import-executions.js'
export type { Progress, ProgressListener } from './transfer/progress.js'
export type { TransferFormat } from './transfer/transfer-format.js'
export { TRANSFER_FORMATS } from './transfer/transfer-format.js'
