import { z } from 'zod'

// The OTLP/HTTP JSON form of ExportTraceServiceRequest (opentelemetry-proto, trace/v1). Field names are
// lowerCamelCase, ids are hex, 64-bit integers may come as decimal strings or numbers, enums as integers.
// Unknown fields are ignored, as receivers must.

const int64 = z.union([
  z.string().regex(/^-?\d{1,20}$/, 'must be a decimal integer string'),
  z.number().int(),
])

/** An OTLP AnyValue: exactly one of its variants is set. */
export type AnyValue = {
  stringValue?: string
  boolValue?: boolean
  intValue?: string | number
  doubleValue?: number | string
  arrayValue?: { values?: AnyValue[] }
  kvlistValue?: { values?: KeyValue[] }
  bytesValue?: string
}
/** An OTLP attribute. */
export type KeyValue = { key: string; value?: AnyValue }

const anyValue: z.ZodType<AnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: int64.optional(),
    doubleValue: z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).optional(),
    arrayValue: z.object({ values: z.array(anyValue).optional() }).optional(),
    kvlistValue: z.object({ values: z.array(keyValue).optional() }).optional(),
    bytesValue: z.string().optional(),
  }),
)
const keyValue: z.ZodType<KeyValue> = z.lazy(() => z.object({ key: z.string(), value: anyValue.optional() }))
const attributes = z.array(keyValue).optional()

const SpanSchema = z.object({
  traceId: z.string().optional(),
  spanId: z.string().optional(),
  parentSpanId: z.string().optional(),
  name: z.string().optional(),
  kind: z.number().int().optional(),
  startTimeUnixNano: int64.optional(),
  endTimeUnixNano: int64.optional(),
  attributes,
  events: z
    .array(z.object({ name: z.string().optional(), timeUnixNano: int64.optional(), attributes }))
    .optional(),
  status: z.object({ code: z.number().int().optional(), message: z.string().optional() }).optional(),
})

/** The body of `POST /v1/traces` (JSON encoding). */
export const ExportTraceServiceRequestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes }).optional(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().optional(), version: z.string().optional() }).optional(),
              spans: z.array(SpanSchema).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
})

/** One span as received. */
export type OtlpSpan = z.infer<typeof SpanSchema>
/** A whole export request as received. */
export type ExportTraceServiceRequest = z.infer<typeof ExportTraceServiceRequestSchema>

/** The OTLP response body: `partialSuccess` only when something was rejected. */
export interface ExportTraceServiceResponse {
  partialSuccess?: { rejectedSpans: string; errorMessage: string }
}
