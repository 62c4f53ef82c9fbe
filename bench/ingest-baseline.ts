import { join } from 'node:path'
import { DuckDBInstance, type DuckDBType, FLOAT, LIST, listValue, timestampValue } from '@duckdb/node-api'
import { migrate } from '../src/db/migrations.js'
import { EMBEDDING_DIMENSIONS, EXECUTION_COLUMNS, embeddingText, validateExecution } from '../src/record.js'
import { HashingEmbedder } from '../src/search/hashing-embedder.js'

/**
 * (a) The reviewed system's write path: per record, validate, embed that one text, then one prepared
 * INSERT in autocommit (one transaction and WAL sync per record), into the same schema and indexes.
 */
export async function writeLikeReviewedSystem(
  dir: string,
  records: readonly Record<string, unknown>[],
  progress: (done: number) => void,
): Promise<{ seconds: number; latenciesMs: number[] }> {
  const instance = await DuckDBInstance.create(join(dir, 'baseline.duckdb'))
  const conn = await instance.connect()
  await conn.run("SET TimeZone = 'UTC'")
  await migrate(conn)
  const embedder = new HashingEmbedder()
  const placeholders = EXECUTION_COLUMNS.map((c, i) =>
    c === 'embedding' ? `$${i + 1}::FLOAT[${EMBEDDING_DIMENSIONS}]` : `$${i + 1}`,
  )
  const insert = await conn.prepare(
    `INSERT INTO executions (${EXECUTION_COLUMNS.join(', ')}) VALUES (${placeholders.join(', ')})`,
  )
  const types: (DuckDBType | undefined)[] = EXECUTION_COLUMNS.map((c) =>
    c === 'embedding' ? LIST(FLOAT) : undefined,
  )
  const latenciesMs: number[] = []
  const started = performance.now()
  for (const [n, record] of records.entries()) {
    const t0 = performance.now()
    const v = validateExecution(record)
    if (!v.ok) throw new Error(`generated record ${n} is invalid: ${v.error}`)
    const e = v.execution
    const [vector] = await embedder.embed([embeddingText(e)])
    const values = EXECUTION_COLUMNS.map((column) => {
      const value = column === 'embedding' ? (vector ?? null) : e[column]
      if (value === null) return null
      if (value instanceof Date) return timestampValue(BigInt(value.getTime()) * 1000n)
      if (value instanceof Float32Array) return listValue(Array.from(value))
      if (typeof value === 'object') return JSON.stringify(value)
      return value
    })
    values[EXECUTION_COLUMNS.indexOf('uploaded_at')] ??= timestampValue(BigInt(Date.now()) * 1000n)
    insert.bind(values, types as DuckDBType[])
    await insert.run()
    latenciesMs.push(performance.now() - t0)
    if ((n + 1) % 1000 === 0) progress(n + 1)
  }
  const seconds = (performance.now() - started) / 1000
  insert.destroySync()
  conn.closeSync()
  instance.closeSync()
  return { seconds, latenciesMs }
}
