// `npm run bench:load`: load on `orb-learning serve` over loopback with autocannon (closed loop, rate-capped).
// Phases: sustained single-record POST /v1/executions, overload at 2x the sustained rate (shedding, RSS,
// every acknowledged record stored), batched ingest of 100 records per request. Needs `npm run build`.
// First, the sustained phase against the HTTP stack alone (no validation, no storage) as the machine's ceiling.
// Env: LOAD_RATE (default 5000), LOAD_SECONDS (60), OVERLOAD_SECONDS (30), BATCH_SECONDS (20), FLOOR_SECONDS
// (20; 0 skips the floor).
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import autocannon from 'autocannon'

const CLI = 'dist/interfaces/cli/main.js'
const RATE = Number(process.env.LOAD_RATE ?? 5000)
const SECONDS = Number(process.env.LOAD_SECONDS ?? 60)
const OVERLOAD_SECONDS = Number(process.env.OVERLOAD_SECONDS ?? 30)
const BATCH_SECONDS = Number(process.env.BATCH_SECONDS ?? 20)
const FLOOR_SECONDS = Number(process.env.FLOOR_SECONDS ?? 20)
const MAX_QUEUED = 256

const record = (i: number) => ({
  task_type: 'refactor',
  task_description: `Refactor module ${i % 500} into smaller functions`,
  repo: `orb/repo-${i % 20}`,
  model_tier: ['small', 'medium', 'large'][i % 3],
  pool_type: 'mahavishnu',
  routing_confidence: 0.8,
  complexity_score: 45,
  success: i % 7 !== 0,
  duration_seconds: 12.5,
  cost_estimate: 0.02,
  actual_cost: 0.025,
  metadata: { agent: 'coder' },
})

interface Phase {
  name: string
  requests: number
  ok: number
  shed: number
  otherErrors: number
  rate: number
  p50: number
  p99: number
  records: number
  stored: number
  maxRssMb: number
  seconds: number
}

function log(message: string): void {
  process.stderr.write(`[bench:load] ${message}\n`)
}

/** Start a server child process that prints `{"url": ...}` on its first stdout line. */
async function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] })
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  return { child, url: (JSON.parse(line) as { url: string }).url }
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM')
  await once(child, 'exit')
}

/** The sustained phase against the HTTP stack alone (bench/http-floor-server.ts): the ceiling on this machine. */
async function measureFloor(): Promise<Phase> {
  const { child, url } = await startServer(['--import', 'tsx', 'bench/http-floor-server.ts'])
  try {
    await run('floor warm-up', url, child.pid!, { rate: 500, connections: 16, seconds: 3, batch: 1 })
    return await run(`floor: HTTP stack only, target ${RATE} req/s`, url, child.pid!, {
      rate: RATE,
      connections: 64,
      seconds: FLOOR_SECONDS,
      batch: 1,
    })
  } finally {
    await stopServer(child)
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
}

async function count(url: string): Promise<number> {
  const res = await fetch(`${url}/v1/status`)
  return ((await res.json()) as { record_count: number }).record_count
}

async function waitIdle(url: string): Promise<void> {
  for (;;) {
    const res = await fetch(`${url}/v1/status`)
    if (((await res.json()) as { queue_depth: number }).queue_depth === 0) return
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function run(
  name: string,
  url: string,
  pid: number,
  options: { rate?: number; connections: number; seconds: number; batch: number },
): Promise<Phase> {
  const body = JSON.stringify(
    options.batch === 1 ? record(1) : Array.from({ length: options.batch }, (_, i) => record(i)),
  )
  const before = await count(url)
  let maxRss = rssMb(pid)
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, rssMb(pid))
  }, 250)
  log(`${name}: ${options.connections} connections, ${options.rate ?? 'max'} req/s for ${options.seconds} s`)
  const statuses: Record<string, number> = {}
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `${url}/v1/executions`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: options.connections,
        duration: options.seconds,
        ...(options.rate ? { overallRate: options.rate } : {}),
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    )
    instance.on('response', (_client, statusCode) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
    })
  })
  clearInterval(sampler)
  await waitIdle(url)
  const stored = (await count(url)) - before
  const ok = statuses['201'] ?? 0
  const shed = (statuses['503'] ?? 0) + (statuses['429'] ?? 0)
  const phase: Phase = {
    name,
    requests: Object.values(statuses).reduce((a, b) => a + b, 0),
    ok,
    shed,
    otherErrors:
      result.errors + result.timeouts + (Object.values(statuses).reduce((a, b) => a + b, 0) - ok - shed),
    rate: ok / options.seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    records: ok * options.batch,
    stored,
    maxRssMb: Math.round(maxRss),
    seconds: options.seconds,
  }
  log(`${name}: ${JSON.stringify({ ...phase, statuses })}`)
  return phase
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`)
  const floor = FLOOR_SECONDS > 0 ? [await measureFloor()] : []
  const dir = mkdtempSync(join(tmpdir(), 'orb-learning-load-'))
  const db = join(dir, 'load.duckdb')
  const { child, url } = await startServer([
    CLI,
    'serve',
    '--port',
    '0',
    '--db',
    db,
    '--json',
    '--max-queued',
    String(MAX_QUEUED),
  ])
  const pid = child.pid!
  try {
    await run('warm-up', url, pid, { rate: 500, connections: 16, seconds: 3, batch: 1 })
    const sustained = await run(`single record at ${RATE} req/s`, url, pid, {
      rate: RATE,
      connections: 64,
      seconds: SECONDS,
      batch: 1,
    })
    const sustainable = Math.max(
      100,
      Math.round(sustained.shed + sustained.otherErrors === 0 ? sustained.rate : sustained.rate * 0.9),
    )
    const overload = await run(`overload at 2x (${2 * sustainable} req/s)`, url, pid, {
      rate: 2 * sustainable,
      connections: 1024,
      seconds: OVERLOAD_SECONDS,
      batch: 1,
    })
    // Two connections keep at most 200 records queued: under the write-queue limit, so nothing is shed.
    const batched = await run('batched, 100 records/request', url, pid, {
      connections: 2,
      seconds: BATCH_SECONDS,
      batch: 100,
    })
    const rows = [...floor, sustained, overload, batched].map(
      (p) =>
        `| ${p.name} | ${p.requests} | ${Math.round(p.rate)} | ${Math.round(p.records / p.seconds)} | ${p.p50} | ${p.p99} | ${p.shed} | ${p.otherErrors} | ${p.records} | ${p.stored} | ${p.maxRssMb} |`,
    )
    const machine = `${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} at the end`
    process.stdout.write(
      [
        '| phase | requests | acknowledged req/s | records/s | p50 ms | p99 ms | shed (503/429) | other errors | acknowledged records | stored records | max server RSS MB |',
        '|---|---|---|---|---|---|---|---|---|---|---|',
        ...rows,
        '',
        `Machine: ${machine}. Write queue limit ${MAX_QUEUED} records (\`serve --max-queued\`). Stored records can exceed`,
        'acknowledged ones: requests still in flight when autocannon stops are committed but not counted by it.',
        '',
      ].join('\n'),
    )
  } finally {
    await stopServer(child)
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  process.stderr.write(`bench:load failed: ${(error as Error).stack ?? error}\n`)
  process.exit(1)
})
