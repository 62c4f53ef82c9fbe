import { gunzipSync } from 'node:zlib'
import { describeIssues, jsonDepth, MAX_JSON_DEPTH } from '../http/request.js'
import { type ExportTraceServiceRequest, ExportTraceServiceRequestSchema } from './otlp-json.js'

/** Why a body was refused: the HTTP status and the message. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message)
  }
}

/**
 * Decode an OTLP/HTTP JSON export body: optional gzip (bounded), strict UTF-8, bounded nesting, the
 * ExportTraceServiceRequest shape. Throws BodyError (415 for protobuf, 413 past the limit, 400 otherwise).
 */
export function decodeExportBody(
  bytes: Uint8Array,
  contentType: string | undefined,
  contentEncoding: string | undefined,
  limitBytes: number,
): ExportTraceServiceRequest {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/x-protobuf' || type === 'application/protobuf')
    throw new BodyError(
      415,
      'protobuf encoding is not supported here; set OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json',
    )
  if (type !== 'application/json')
    throw new BodyError(
      415,
      `content-type must be application/json, got ${JSON.stringify(type.slice(0, 80))}`,
    )
  let body = bytes
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase()
  if (encoding === 'gzip') {
    try {
      body = gunzipSync(bytes, { maxOutputLength: limitBytes })
    } catch (error) {
      const tooBig = (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
      if (tooBig) throw new BodyError(413, `gzip body inflates past the limit of ${limitBytes} bytes`)
      throw new BodyError(400, `gzip body cannot be inflated: ${(error as Error).message}`)
    }
  } else if (encoding !== 'identity') {
    throw new BodyError(
      415,
      `content-encoding must be gzip or identity, got ${JSON.stringify(encoding.slice(0, 40))}`,
    )
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    throw new BodyError(400, 'request body is not valid UTF-8')
  }
  if (text.trim() === '') throw new BodyError(400, 'request body is empty; send an ExportTraceServiceRequest')
  const depth = jsonDepth(text)
  if (depth > MAX_JSON_DEPTH)
    throw new BodyError(400, `request body nests ${depth} levels deep; at most ${MAX_JSON_DEPTH}`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new BodyError(400, `request body is not valid JSON: ${(error as Error).message}`)
  }
  const parsed = ExportTraceServiceRequestSchema.safeParse(json, { reportInput: true })
  if (!parsed.success)
    throw new BodyError(
      400,
      `not an ExportTraceServiceRequest: ${describeIssues(parsed.error.issues.slice(0, 3))}`,
    )
  return parsed.data
}
