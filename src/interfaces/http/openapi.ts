import { z } from 'zod'

/** HTTP methods an operation may use. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/** One response of an operation: its description and, for JSON, the zod schema of the body. */
export interface ApiResponse {
  description: string
  schema?: z.ZodType
  /** Media type when not JSON (e.g. `text/plain` for /metrics, `text/html` for the dashboard). */
  mediaType?: string
}

/** What a route module tells the OpenAPI document about one endpoint; schemas are the zod schemas it validates with. */
export interface ApiOperation {
  method: HttpMethod
  /** Hono path: `/v1/executions/:task_id`. */
  path: string
  summary: string
  description?: string
  tags?: string[]
  /** Query parameters as one zod object (each key one parameter). */
  query?: z.ZodObject
  /** JSON request body. */
  body?: z.ZodType
  responses: Record<number, ApiResponse>
}

/** The stable error body as a zod schema, for the document. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.enum(['invalid_input', 'not_found', 'conflict', 'unavailable', 'internal']),
    message: z.string(),
    details: z.unknown(),
  }),
})

const ERROR_RESPONSES: Record<number, ApiResponse> = {
  400: { description: 'Invalid input', schema: ErrorBodySchema },
  500: { description: 'Internal error', schema: ErrorBodySchema },
}

/** Collects the operations of every route module and renders them as one OpenAPI 3.1 document. */
export class OpenApiRegistry {
  readonly #operations: ApiOperation[] = []

  /** Describe one endpoint. */
  add(operation: ApiOperation): void {
    this.#operations.push(operation)
  }

  /** Every described endpoint, in registration order. */
  get operations(): readonly ApiOperation[] {
    return this.#operations
  }

  /** The OpenAPI 3.1 document. */
  document(info: { title: string; version: string; description?: string }): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {}
    for (const op of this.#operations) {
      const path = op.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')
      paths[path] ??= {}
      paths[path][op.method] = renderOperation(op)
    }
    return { openapi: '3.1.0', info, paths }
  }
}

function renderOperation(op: ApiOperation): Record<string, unknown> {
  const parameters = [...pathParameters(op.path), ...queryParameters(op.query)]
  const responses: Record<string, unknown> = {}
  for (const [status, response] of Object.entries({ ...ERROR_RESPONSES, ...op.responses })) {
    responses[status] = renderResponse(response)
  }
  return {
    operationId: operationId(op),
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(op.tags ? { tags: op.tags } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
          },
        }
      : {}),
    responses,
  }
}

function renderResponse(response: ApiResponse): Record<string, unknown> {
  const mediaType = response.mediaType ?? 'application/json'
  if (!response.schema && mediaType === 'application/json') return { description: response.description }
  return {
    description: response.description,
    content: { [mediaType]: response.schema ? { schema: jsonSchema(response.schema, 'output') } : {} },
  }
}

function pathParameters(path: string): Record<string, unknown>[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
}

function queryParameters(query: z.ZodObject | undefined): Record<string, unknown>[] {
  if (!query) return []
  return Object.entries(query.shape).map(([name, schema]) => {
    const field = schema as z.ZodType
    const json = jsonSchema(field, 'input')
    return {
      name,
      in: 'query',
      required: !field.safeParse(undefined).success,
      ...(typeof json.description === 'string' ? { description: json.description } : {}),
      schema: json,
    }
  })
}

/** A zod schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1); unrepresentable parts become `{}`. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  })
  return rest
}

function operationId(op: ApiOperation): string {
  const words = op.path
    .split('/')
    .filter((s) => s !== '' && s !== 'v1')
    .map((s) => (s.startsWith(':') ? `by_${s.slice(1)}` : s))
  return [op.method, ...words].join('_').replace(/[^A-Za-z0-9_]/g, '_')
}
