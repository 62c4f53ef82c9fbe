import type { DuckDBAppender } from '@duckdb/node-api'
import { DuckDBDataChunk, VARCHAR } from '@duckdb/node-api'
import bindings from '@duckdb/node-bindings'
import { EMBEDDING_DIMENSIONS, EXECUTION_COLUMNS, type Execution, type ExecutionColumn } from '../record.js'

type Kind = 'uuid' | 'timestamp' | 'varchar' | 'json' | 'integer' | 'float' | 'boolean' | 'embedding'

const KINDS: Record<ExecutionColumn, Kind> = {
  task_id: 'uuid',
  timestamp: 'timestamp',
  task_type: 'varchar',
  task_description: 'varchar',
  repo: 'varchar',
  file_count: 'integer',
  estimated_tokens: 'integer',
  model_tier: 'varchar',
  pool_type: 'varchar',
  swarm_topology: 'varchar',
  routing_confidence: 'float',
  complexity_score: 'integer',
  success: 'boolean',
  duration_seconds: 'float',
  quality_score: 'integer',
  cost_estimate: 'float',
  actual_cost: 'float',
  error_type: 'varchar',
  error_message: 'varchar',
  user_accepted: 'boolean',
  user_rating: 'integer',
  peak_memory_mb: 'float',
  cpu_time_seconds: 'float',
  solution_summary: 'varchar',
  embedding: 'embedding',
  metadata: 'json',
  uploaded_at: 'timestamp',
}

/** Rows per DuckDB data chunk (DuckDB's vector size). */
export const CHUNK_ROWS = bindings.vector_size()
const VALIDITY_BYTES = Math.ceil(CHUNK_ROWS / 64) * 8

interface Column {
  readonly name: ExecutionColumn
  readonly kind: Kind
  readonly index: number
  /** Fixed-width values, written with one copy per chunk. */
  readonly data: ArrayBuffer | undefined
  readonly validity: Uint8Array
}

/**
 * Writes executions into an appender by filling DuckDB data-chunk vectors directly: one typed array
 * per fixed-width column copied once per chunk, strings assigned in place, the 384 floats of an embedding
 * copied as one block. No per-value conversion objects, so ~10x cheaper than the generic converter.
 */
export class ExecutionChunkWriter {
  readonly #chunk: DuckDBDataChunk
  readonly #columns: Column[]
  readonly #embeddings = new Float32Array(CHUNK_ROWS * EMBEDDING_DIMENSIONS)

  constructor(appender: DuckDBAppender) {
    if (appender.columnCount !== EXECUTION_COLUMNS.length) {
      throw new Error(
        `executions has ${appender.columnCount} columns, the writer knows ${EXECUTION_COLUMNS.length}`,
      )
    }
    // task_id travels as VARCHAR: the appender casts the whole vector to UUID in native code.
    const types = EXECUTION_COLUMNS.map((name, i) =>
      KINDS[name] === 'uuid' ? VARCHAR : appender.columnType(i),
    )
    this.#chunk = DuckDBDataChunk.create(types)
    this.#columns = EXECUTION_COLUMNS.map((name, index) => {
      const kind = KINDS[name]
      return { name, kind, index, data: fixedBuffer(kind), validity: new Uint8Array(VALIDITY_BYTES) }
    })
  }

  /** Append `rows` to `appender` (in chunks of CHUNK_ROWS); `uploadedAt` fills a missing uploaded_at. */
  append(appender: DuckDBAppender, rows: readonly Execution[], uploadedAt: Date): void {
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const end = Math.min(rows.length, start + CHUNK_ROWS)
      bindings.data_chunk_reset(this.#chunk.chunk)
      bindings.data_chunk_set_size(this.#chunk.chunk, end - start)
      for (const column of this.#columns) this.#fill(column, rows, start, end, uploadedAt)
      appender.appendDataChunk(this.#chunk)
    }
  }

  #fill(column: Column, rows: readonly Execution[], start: number, end: number, uploadedAt: Date): void {
    const vector = bindings.data_chunk_get_vector(this.#chunk.chunk, column.index)
    const count = end - start
    const validity = column.validity
    validity.fill(0xff)
    let nulls = 0
    const setNull = (row: number) => {
      validity[row >>> 3]! &= ~(1 << (row & 7))
      nulls++
    }
    const name = column.name
    switch (column.kind) {
      case 'uuid':
      case 'varchar':
      case 'json':
        for (let r = 0; r < count; r++) {
          const value = rows[start + r]![name] as string | Record<string, unknown> | null
          if (value === null) setNull(r)
          else
            bindings.vector_assign_string_element(
              vector,
              r,
              typeof value === 'string' ? value : JSON.stringify(value),
            )
        }
        break
      case 'timestamp': {
        const out = new BigInt64Array(column.data!)
        for (let r = 0; r < count; r++) {
          const value = (rows[start + r]![name] as Date | null) ?? uploadedAt
          out[r] = BigInt(value.getTime()) * 1000n
        }
        break
      }
      case 'integer':
      case 'float':
      case 'boolean': {
        const out =
          column.kind === 'integer'
            ? new Int32Array(column.data!)
            : column.kind === 'float'
              ? new Float32Array(column.data!)
              : new Uint8Array(column.data!)
        for (let r = 0; r < count; r++) {
          const value = rows[start + r]![name] as number | boolean | null
          if (value === null) {
            setNull(r)
            out[r] = 0
          } else out[r] = typeof value === 'boolean' ? Number(value) : value
        }
        break
      }
      case 'embedding': {
        const out = this.#embeddings
        for (let r = 0; r < count; r++) {
          const value = rows[start + r]!.embedding
          if (value === null) setNull(r)
          else out.set(value, r * EMBEDDING_DIMENSIONS)
        }
        const child = bindings.array_vector_get_child(vector)
        bindings.copy_data_to_vector(child, 0, out.buffer, 0, count * EMBEDDING_DIMENSIONS * 4)
        break
      }
    }
    if (column.data !== undefined) {
      const width = column.data.byteLength / CHUNK_ROWS
      bindings.copy_data_to_vector(vector, 0, column.data, 0, count * width)
    }
    if (nulls > 0) {
      bindings.vector_ensure_validity_writable(vector)
      bindings.copy_data_to_vector_validity(vector, 0, validity.buffer as ArrayBuffer, 0, VALIDITY_BYTES)
    }
  }
}

function fixedBuffer(kind: Kind): ArrayBuffer | undefined {
  switch (kind) {
    case 'timestamp':
      return new ArrayBuffer(CHUNK_ROWS * 8)
    case 'integer':
    case 'float':
      return new ArrayBuffer(CHUNK_ROWS * 4)
    case 'boolean':
      return new ArrayBuffer(CHUNK_ROWS)
    default:
      return undefined
  }
}
