import { z } from 'zod'
import { dataQualityReport } from '../../../analytics/data-quality.js'
import type { App, RouteContext } from '../context.js'
import { sendJson } from '../json.js'
import { parseQuery } from '../request.js'

const QualityCheckSchema = z.object({
  name: z.string(),
  severity: z.enum(['critical', 'warning', 'info']),
  description: z.string(),
  affected: z.number().int(),
  details: z.record(z.string(), z.number().int()).optional(),
})

// The report takes no parameters; any query key is refused rather than silently ignored.
const NoParams = z.strictObject({})

const QualityReportSchema = z.object({
  generated_at: z.string(),
  rows: z.number().int(),
  feedback_rows: z.number().int(),
  checks: z.array(QualityCheckSchema),
  embedding_coverage: z.number().min(0).max(1),
  score: z.number().min(0).max(100),
  formula: z.string(),
})

/** `GET /v1/quality`: the data-quality report (checks, embedding coverage, overall score and its formula). */
export function registerQualityRoutes(app: App, ctx: RouteContext): void {
  app.get('/v1/quality', async (c) => {
    parseQuery(c, NoParams)
    return sendJson(c, await dataQualityReport(ctx.store))
  })
  ctx.openapi.add({
    method: 'get',
    path: '/v1/quality',
    summary:
      'Data-quality report: NULLs, duplicates, future timestamps, out-of-range values, orphan feedback',
    description:
      'Every check with the rows it flags, embedding coverage and an overall score 0-100 (formula in the body).',
    tags: ['analytics'],
    responses: { 200: { description: 'The data-quality report', schema: QualityReportSchema } },
  })
}
