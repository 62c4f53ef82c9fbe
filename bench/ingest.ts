// Ingest benchmark (issue #2 part 13): `npm run bench:ingest -- [--records N] [--baseline-records N]
// [--callers N] [--batch N] [--batch-callers N] [--lone N] [--json]`. Progress goes to stderr, the table to stdout.
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance as nodePerformance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { recordExecution, recordExecutions } from '../src/ingest/record-executions.js'
import { openStore } from '../src/store.js'
import { generateRecords } from './generate-records.js'
import { writeLikeReviewedSystem } from './ingest-baseline.js'
import { percentile } from './percentile.js'

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    'baseline-records': { type: 'string' },
    callers: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '1000' },
    'batch-callers': { type: 'string', default: '1' },
    lone: { type: 'string', default: '500' },
    json: { type: 'boolean', default: false },
  },
})
const total = Number(args.records)
const baselineCount = Number(args['baseline-records'] ?? Math.min(total, 2_000))
const callers = Number(args.callers)
const batchSize = Number(args.batch)
const batchCallers = Number(args['batch-callers'])
const loneCount = Number(args.lone)

interface Phase {
  name: string
  records: number
  seconds: number
  latenciesMs: number[]
  peakRssMb: number
  cpuUsPerRecord: number
  mainThreadBusy: number
  note: string
}

let peakRss = 0
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 50)

const log = (message: string) => process.stderr.write(`${message}\n`)
const progress = (label: string, of: number) => {
  const started = performance.now()
  return (done: number) => {
    if (done % 10_000 !== 0 && done !== of) return
    const rate = done / ((performance.now() - started) / 1000)
    log(
      `  ${label}: ${done}/${of} records, ${Math.round(rate)} records/s, ETA ${((of - done) / rate).toFixed(0)} s`,
    )
  }
}

async function measure(
  name: string,
  note: string,
  run: () => Promise<Omit<Phase, 'name' | 'peakRssMb' | 'note' | 'cpuUsPerRecord' | 'mainThreadBusy'>>,
) {
  global.gc?.()
  peakRss = process.memoryUsage.rss()
  log(`${name} ...`)
  // CPU of every thread of the process (main, embedding workers, DuckDB), open and close included.
  const cpu0 = process.cpuUsage()
  const elu0 = nodePerformance.eventLoopUtilization()
  const result = await run()
  const cpu = process.cpuUsage(cpu0)
  // Share of the time the main thread was busy: near 1 means it is the bottleneck.
  const mainThreadBusy = nodePerformance.eventLoopUtilization(elu0).utilization
  const cpuUsPerRecord = (cpu.user + cpu.system) / result.records
  const phase = { name, note, ...result, peakRssMb: peakRss / 2 ** 20, cpuUsPerRecord, mainThreadBusy }
  log(`${name}: ${Math.round(phase.records / phase.seconds)} records/s`)
  return phase
}

/** A store on a fresh file; `fn` gets it, the store is closed (drained) afterwards and the close timed. */
async function withFreshStore<T>(
  dir: string,
  name: string,
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
) {
  const store = await openStore({ path: join(dir, `${name}.duckdb`) })
  const result = await fn(store)
  const t0 = performance.now()
  await store.close()
  const closeSeconds = (performance.now() - t0) / 1000
  log(`  close (drain + checkpoint) of ${name}: ${closeSeconds.toFixed(2)} s`)
  return { result, closeSeconds }
}

const records = generateRecords(total + loneCount)
const dir = mkdtempSync(join(tmpdir(), 'orb-learning-bench-'))
const phases: Phase[] = []
try {
  const baselineRecords = records.slice(0, baselineCount)
  phases.push(
    await measure(
      '(a) reviewed system: prepared INSERT per record, autocommit',
      `${baselineCount} records`,
      async () => {
        const r = await writeLikeReviewedSystem(dir, baselineRecords, progress('(a)', baselineCount))
        return { records: baselineCount, seconds: r.seconds, latenciesMs: r.latenciesMs }
      },
    ),
  )
  const main = records.slice(0, total)
  phases.push(
    await measure(`(b) recordExecution, ${callers} concurrent single-record callers`, '', async () => {
      const latenciesMs: number[] = []
      const report = progress('(b)', total)
      let next = 0
      const started = performance.now()
      const { closeSeconds } = await withFreshStore(dir, 'b', async (store) => {
        const caller = async () => {
          while (next < main.length) {
            const record = main[next++]!
            const t0 = performance.now()
            const result = await recordExecution(store, record)
            latenciesMs.push(performance.now() - t0)
            if (result.inserted !== 1)
              throw new Error(`record not inserted: ${JSON.stringify(result.rejected)}`)
            report(latenciesMs.length)
          }
        }
        await Promise.all(Array.from({ length: callers }, caller))
      })
      return { records: total, seconds: (performance.now() - started) / 1000 - closeSeconds, latenciesMs }
    }),
  )
  phases.push(
    await measure(
      `(c) recordExecutions, batches of ${batchSize} (${batchCallers} caller(s))`,
      '',
      async () => {
        const latenciesMs: number[] = []
        const report = progress('(c)', total)
        let next = 0
        let done = 0
        const started = performance.now()
        const { closeSeconds } = await withFreshStore(dir, 'c', async (store) => {
          const caller = async () => {
            while (next < main.length) {
              const batch = main.slice(next, next + batchSize)
              next += batch.length
              const t0 = performance.now()
              const result = await recordExecutions(store, batch)
              latenciesMs.push(performance.now() - t0)
              if (result.inserted !== batch.length)
                throw new Error(`batch: ${JSON.stringify(result.rejected[0])}`)
              done += batch.length
              report(done)
            }
          }
          await Promise.all(Array.from({ length: batchCallers }, caller))
        })
        return { records: total, seconds: (performance.now() - started) / 1000 - closeSeconds, latenciesMs }
      },
    ),
  )
  phases.push(
    await measure('(d) recordExecution, one lone caller', '', async () => {
      const latenciesMs: number[] = []
      const lone = records.slice(total)
      const started = performance.now()
      const { closeSeconds } = await withFreshStore(dir, 'd', async (store) => {
        for (const record of lone) {
          const t0 = performance.now()
          await recordExecution(store, record)
          latenciesMs.push(performance.now() - t0)
        }
      })
      return {
        records: lone.length,
        seconds: (performance.now() - started) / 1000 - closeSeconds,
        latenciesMs,
      }
    }),
  )
} finally {
  clearInterval(sampler)
  rmSync(dir, { recursive: true, force: true })
}

const rate = (phase: Phase | undefined) => (phase ? phase.records / phase.seconds : Number.NaN)
const [a, b, c] = phases
const summary = {
  command: `npm run bench:ingest -- ${process.argv.slice(2).join(' ')}`.trim(),
  machine: `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${(
    await import('node:os')
  )
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
  phases: phases.map((p) => ({
    name: p.name,
    records: p.records,
    recordsPerSecond: Math.round(rate(p)),
    p50Ms: percentile(p.latenciesMs, 0.5),
    p99Ms: percentile(p.latenciesMs, 0.99),
    peakRssMb: Math.round(p.peakRssMb),
    cpuUsPerRecord: Math.round(p.cpuUsPerRecord),
    mainThreadBusyPct: Math.round(p.mainThreadBusy * 100),
  })),
  ratioBA: rate(b) / rate(a),
  ratioCA: rate(c) / rate(a),
  processPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
}
if (args.json) {
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`)
} else {
  const rows = summary.phases.map(
    (p) =>
      `| ${p.name} | ${p.records} | ${p.recordsPerSecond} | ${p.p50Ms.toFixed(1)} | ${p.p99Ms.toFixed(1)} | ${p.cpuUsPerRecord} | ${p.mainThreadBusyPct} | ${p.peakRssMb} |`,
  )
  process.stdout.write(
    [
      `Command: \`${summary.command}\``,
      `Machine: ${summary.machine}`,
      '',
      '| mode | records | records/s | ack p50 ms | ack p99 ms | CPU µs/record (all threads) | main thread busy % | peak RSS MB |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      `b/a = ${summary.ratioBA.toFixed(1)}x, c/a = ${summary.ratioCA.toFixed(1)}x, process peak RSS ${summary.processPeakRssMb} MB` +
        ' (the latency of (c) is per batch call)',
      '',
    ].join('\n'),
  )
}
