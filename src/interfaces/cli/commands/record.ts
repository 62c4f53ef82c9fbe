import { readFileSync } from 'node:fs'
import { type CliBackend, withBackend } from '../cli-backend.js'
import { type CliIo, COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { printResult } from '../output.js'
import { readJsonLineBatches } from '../read-stdin-records.js'

/** Outcome of `orb-learning record`: counts, stored ids and the refused records by position. */
interface RecordSummary {
  inserted: number
  updated: number
  task_ids: string[]
  rejected: { record: number; task_id?: string; error: string }[]
}

export const recordCommand: Command = {
  name: 'record',
  summary: 'Store executions: one JSON record (or array) as argument or --file, else JSONL on stdin',
  usage: "['{...json...}' | --file PATH | < records.jsonl] [--db PATH | --server URL] [--json]",
  help: [
    'JSON        one record (or an array of records) as the argument',
    '--file PATH a file with one JSON record or an array of records',
    'stdin       without argument or --file: one JSON record per line (JSONL), streamed',
    'Rejected records are reported by position (1-based; the line for stdin); exit 1 when any was rejected.',
    'Unknown fields are rejected: extra data belongs in metadata.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, file: { type: 'string' } },
  remote: true,
  async run(args, io) {
    const inline = args.positionals[0]
    const file = args.values.file
    if (args.positionals.length > 1) throw new UsageError('give one JSON argument (quote it)')
    if (inline !== undefined && typeof file === 'string')
      throw new UsageError('give a JSON argument or --file, not both')
    const summary = await withBackend(args, io, (backend) =>
      inline !== undefined || typeof file === 'string'
        ? recordDocument(backend, inline ?? readFileSync(file as string, 'utf8'))
        : recordStdin(backend, io),
    )
    printResult(io, args.values.json === true, summary, (s) =>
      [`inserted ${s.inserted}, updated ${s.updated}, rejected ${s.rejected.length}`, ...s.task_ids].join(
        '\n',
      ),
    )
    if (args.values.json !== true) {
      for (const r of summary.rejected) io.stderr.write(`record ${r.record}: ${r.error}\n`)
    }
    return summary.rejected.length > 0 ? 1 : 0
  },
}

async function recordDocument(backend: CliBackend, text: string): Promise<RecordSummary> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UsageError(
      `the record is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  const records = Array.isArray(parsed) ? parsed : [parsed]
  const result = await backend.recordExecutions(records)
  return {
    inserted: result.inserted,
    updated: result.updated,
    task_ids: result.task_ids,
    rejected: result.rejected.map(({ index, ...rest }) => ({ record: index + 1, ...rest })),
  }
}

async function recordStdin(backend: CliBackend, io: CliIo): Promise<RecordSummary> {
  const summary: RecordSummary = { inserted: 0, updated: 0, task_ids: [], rejected: [] }
  for await (const batch of readJsonLineBatches(io.stdin, 5_000)) {
    const good = batch.filter((b) => 'record' in b)
    for (const b of batch) if ('error' in b) summary.rejected.push({ record: b.line, error: b.error })
    const result = await backend.recordExecutions(good.map((b) => ('record' in b ? b.record : undefined)))
    summary.inserted += result.inserted
    summary.updated += result.updated
    summary.task_ids.push(...result.task_ids)
    for (const { index, ...rest } of result.rejected)
      summary.rejected.push({ record: good[index]!.line, ...rest })
  }
  summary.rejected.sort((a, b) => a.record - b.record)
  return summary
}
