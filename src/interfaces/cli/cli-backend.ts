import type { QueryInfo, QueryResult } from '../../analytics/query-types.js'
import type { RecordResult } from '../../ingest/record-executions.js'
import type { AnonymousFeedback, FeedbackRow } from '../../learning/feedback-queries.js'
import type { FeedbackInput } from '../../learning/feedback-schema.js'
import type { RecommendOptions, RouteRecommendation } from '../../learning/recommend-route.js'
import type { RouteTask } from '../../learning/recommend-schema.js'
import type { FeedbackResult } from '../../learning/record-feedback.js'
import type { DatabaseStatus } from '../../ops/database-status.js'
import type { SimilarExecution } from '../../search/find-similar.js'
import type { SimilarQuery } from '../../search/similar-query.js'
import type { CliIo, CommandArgs } from './command.js'
import { localBackend } from './local-backend.js'
import { withCliStore } from './open-cli-store.js'
import { remoteBackend } from './remote-backend.js'
import { serverUrl } from './server-option.js'

/**
 * What the commands with an HTTP equivalent need: answered from the database file (local) or by a running
 * `orb-learning serve` (remote, `--server URL`). Results have the same shape either way.
 */
export interface CliBackend {
  recordExecutions(records: readonly unknown[]): Promise<RecordResult>
  getStatus(): Promise<DatabaseStatus>
  listQueries(): Promise<QueryInfo[]>
  runQuery(name: string, params: Record<string, string>): Promise<QueryResult>
  findSimilar(query: SimilarQuery): Promise<SimilarExecution[]>
  recommendRoute(task: RouteTask, options: Pick<RecommendOptions, 'policy'>): Promise<RouteRecommendation>
  recordFeedback(input: FeedbackInput): Promise<FeedbackResult>
  listFeedback(input: { task_id: string }): Promise<FeedbackRow[]>
  deleteFeedback(input: { feedback_id: string }): Promise<{ deleted: number }>
  exportFeedback(input: { days?: number }): Promise<AnonymousFeedback[]>
}

/** Options of `withBackend`: how a local store is opened (ignored in remote mode). */
export interface BackendOptions {
  readOnly?: boolean
  /** False when the local answer needs no database (e.g. the list of named queries). Default true. */
  database?: boolean
}

/**
 * Run `fn` against the command's backend: the server of `--server URL` / ORB_LEARNING_SERVER when one is
 * given, else the database of `--db` opened (and closed) around the call.
 */
export async function withBackend<T>(
  args: CommandArgs,
  io: CliIo,
  fn: (backend: CliBackend) => Promise<T>,
  options: BackendOptions = {},
): Promise<T> {
  const url = serverUrl(args, io)
  if (url !== undefined) return fn(remoteBackend(url, io.env.ORB_LEARNING_API_KEY))
  if (options.database === false) return fn(localBackend(undefined))
  return withCliStore(args, io, (store) => fn(localBackend(store)), { readOnly: options.readOnly ?? false })
}
