import { listQueries, runQuery } from '../../analytics/query-registry.js'
import { LearningError } from '../../errors.js'
import { recordExecutions } from '../../ingest/record-executions.js'
import { flushDecisions } from '../../learning/decision-log.js'
import { deleteFeedback, exportFeedback, listFeedback } from '../../learning/feedback-queries.js'
import { recommendRoute } from '../../learning/recommend-route.js'
import { recordFeedback } from '../../learning/record-feedback.js'
import { getDatabaseStatus } from '../../ops/database-status.js'
import { findSimilar } from '../../search/find-similar.js'
import type { Store } from '../../store.js'
import type { CliBackend } from './cli-backend.js'

/** The backend that answers from an open store (the database file this process holds); none for pure lookups. */
export function localBackend(open: Store | undefined): CliBackend {
  const store = (): Store => {
    if (!open) throw new LearningError('internal', 'this command was run without opening its database')
    return open
  }
  return {
    recordExecutions: (records) => recordExecutions(store(), records),
    getStatus: () => getDatabaseStatus(store()),
    listQueries: async () => listQueries(),
    runQuery: (name, params) => runQuery(store(), name, params),
    findSimilar: (query) => findSimilar(store(), query),
    async recommendRoute(task, options) {
      const recommendation = await recommendRoute(store(), task, options)
      await flushDecisions(store())
      return recommendation
    },
    recordFeedback: (input) => recordFeedback(store(), input),
    listFeedback: (input) => listFeedback(store(), input),
    deleteFeedback: (input) => deleteFeedback(store(), input),
    exportFeedback: (input) => exportFeedback(store(), input),
  }
}
