import { seedDemo } from '../../../demo/seed-demo.js'
import { getDatabaseStatus } from '../../../ops/database-status.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatKeyValues, printResult } from '../output.js'
import { progressPrinter } from '../progress-printer.js'

/** Where the demo writes unless --db says otherwise (ORB_LEARNING_DB is ignored on purpose). */
export const DEMO_DB_PATH = 'data/demo.duckdb'

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Write a realistic synthetic dataset (default 20,000 rows) into data/demo.duckdb',
  usage: '[--rows N] [--seed N] [--db PATH] [--json]',
  help: [
    '--rows N   records to generate (default 20000)',
    '--seed N   seed of the generator; the same seed gives the same task_ids (default 42)',
    `--db PATH  target database (default ${DEMO_DB_PATH}; ORB_LEARNING_DB is ignored so that the demo`,
    '           never lands in a real database). A database with non-demo rows is refused.',
  ].join('\n'),
  options: { ...COMMON_OPTIONS, rows: { type: 'string' }, seed: { type: 'string' } },
  async run(args, io) {
    const rows = wholeNumber(args.values.rows, 'rows', 20_000)
    const seed = wholeNumber(args.values.seed, 'seed', 42)
    const path = typeof args.values.db === 'string' ? args.values.db : DEMO_DB_PATH
    const result = await withCliStore(
      args,
      io,
      async (store) => {
        const report = await seedDemo(store, { rows, seed, onProgress: progressPrinter(io, 'demo') })
        return { ...report, database: path, records: (await getDatabaseStatus(store)).record_count }
      },
      { path },
    )
    printResult(io, args.values.json === true, result, (r) =>
      formatKeyValues({
        database: r.database,
        inserted: r.inserted,
        updated: r.updated,
        rejected: r.rejected,
        records: r.records,
        seconds: r.seconds,
      }),
    )
    return result.rejected > 0 ? 1 : 0
  },
}

function wholeNumber(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (typeof value !== 'string' || !/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`--${flag} must be a whole number, got ${JSON.stringify(value)}`)
  return n
}
