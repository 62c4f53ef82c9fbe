import { z } from 'zod'
import { invalidInput } from '../../../errors.js'
import { recordExecution, recordExecutions } from '../../../ingest/record-executions.js'
import { ExecutionJsonSchema, RecordResultSchema } from '../schemas.js'
import { defineTool } from '../tool.js'

/** Most records one `record_executions` call takes. */
export const MAX_RECORDS_PER_CALL = 1000

/** `record_execution`: store one execution; an invalid record is an error naming field, rule and value. */
export const recordExecutionTool = defineTool({
  name: 'record_execution',
  title: 'Record one execution',
  description:
    'Store the outcome of one orchestrator task (what ran, which model tier and pool, success, duration, ' +
    'cost, quality). Returns once the record is durably committed. A record whose task_id already exists ' +
    'replaces that row (a retry) and is reported as updated. Extra data goes in metadata.',
  scope: 'write',
  input: ExecutionJsonSchema,
  output: RecordResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async run(store, record) {
    const result = await recordExecution(store, record, { whenFull: 'reject' })
    const rejection = result.rejected[0]
    if (rejection) throw invalidInput(rejection.error)
    return result
  },
})

/** `record_executions`: store up to 1000 executions; each invalid record is reported alone. */
export const recordExecutionsTool = defineTool({
  name: 'record_executions',
  title: 'Record many executions',
  description:
    `Store up to ${MAX_RECORDS_PER_CALL} executions in one transaction (same record fields as ` +
    'record_execution). Valid records are stored even when others are invalid; each rejected record is ' +
    'listed with its index and a message naming the field, the rule and the value.',
  scope: 'write',
  input: z.object({
    records: z
      .array(z.record(z.string(), z.unknown()).describe('An execution record, as in record_execution'))
      .min(1)
      .max(MAX_RECORDS_PER_CALL),
  }),
  output: RecordResultSchema,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run: (store, { records }) => recordExecutions(store, records, { whenFull: 'reject' }),
})
