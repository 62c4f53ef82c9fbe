import { z } from 'zod'
import { QueryParamsSchema } from '../../../analytics/query-params.js'
import { listQueries, runQuery } from '../../../analytics/query-registry.js'
import { defineTool } from '../tool.js'

const QUERY_NAMES = listQueries().map((q) => q.name) as [string, ...string[]]

const QueryInfoSchema = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  params: z.array(z.string()),
  result: z.object({ kind: z.string(), columns: z.array(z.string()) }),
  panel: z.string().optional(),
})

/** `list_queries`: the named analytics queries with their parameters and result columns. */
export const listQueriesTool = defineTool({
  name: 'list_queries',
  title: 'List named analytics queries',
  description:
    'List the named analytics queries (success rate, duration percentiles, cost by tier, pool performance, ' +
    'top errors, ...) with the parameters each accepts and the columns it returns. Run one with run_query.',
  scope: 'read',
  input: z.object({}),
  output: z.object({ queries: z.array(QueryInfoSchema) }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: async () => ({ queries: listQueries() }),
})

/** `run_query`: run one named query (no free SQL) with the shared query parameters. */
export const runQueryTool = defineTool({
  name: 'run_query',
  title: 'Run a named analytics query',
  description:
    'Run one named analytics query (see list_queries; free SQL is not accepted). Parameters: range ' +
    '(1h|24h|7d|30d|90d) or since/until (ISO dates), filters repo, model_tier, pool_type, task_type, and ' +
    'bucket (hour|day|week) for time series. Returns JSON rows.',
  scope: 'read',
  input: z.object({
    name: z.enum(QUERY_NAMES).describe('Query name, as listed by list_queries'),
    params: QueryParamsSchema.optional(),
  }),
  output: z.object({
    name: z.string(),
    params: z.record(z.string(), z.unknown()),
    rows: z.array(z.record(z.string(), z.unknown())),
    generated_at: z.string(),
    source: z.string(),
  }),
  annotations: { readOnlyHint: true, openWorldHint: false },
  run: (store, { name, params }) => runQuery(store, name, params ?? {}),
})
