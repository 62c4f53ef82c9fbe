import { withBackend } from '../cli-backend.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { formatKeyValues, printResult } from '../output.js'

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show row count, size, schema version, embedder and time span',
  usage: '[--db PATH | --server URL] [--json]',
  options: COMMON_OPTIONS,
  remote: true,
  async run(args, io) {
    const status = await withBackend(args, io, (b) => b.getStatus(), { readOnly: true })
    printResult(io, args.values.json === true, status, (s) =>
      formatKeyValues({
        database: s.path,
        records: s.record_count,
        feedback: s.feedback_count,
        size: `${(s.size_bytes / 1_048_576).toFixed(1)} MB (+ ${(s.wal_bytes / 1_048_576).toFixed(1)} MB WAL)`,
        schema_version: s.schema_version,
        embedder: s.embedder,
        from: s.first_timestamp,
        to: s.last_timestamp,
      }),
    )
    return 0
  },
}
