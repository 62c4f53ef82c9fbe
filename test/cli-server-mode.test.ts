import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { after, before, describe, it } from 'node:test'
import { cliArgs } from './support/cli-process.js'
import { execution } from './support/executions.js'
import { runCli } from './support/run-cli.js'

const KEY = 'k_server_mode_0123456789'
const DESCRIPTIONS = [
  'Refactor the JSON parser into smaller functions',
  'Fix the flaky integration test of the payment service',
  'Add pagination to the users endpoint',
]
const TIERS = ['small', 'medium', 'large']
const RECORDS = Array.from({ length: 1_200 }, (_, i) =>
  execution({
    task_description: DESCRIPTIONS[i % 3],
    model_tier: TIERS[i % 3],
    success: i % 4 !== 0,
    daysAgo: (i % 5) / 2,
  }),
)
// Line 1,100 breaks a rule (in the second POST batch), line 1,151 is not JSON: both are reported by line.
const LINES = RECORDS.map((r) => JSON.stringify(r))
LINES[1_099] = JSON.stringify({ ...RECORDS[1_099], routing_confidence: 1.7 })
LINES[1_150] = '{not json'
const JSONL = `${LINES.join('\n')}\n`

let dir = ''
let served = ''
let local = ''
let url = ''
let server: ChildProcess | undefined

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Run the CLI as a child process with the API key (unless `env` overrides it) and optional stdin. */
async function cli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ORB_LEARNING_API_KEY: KEY, ...options.env }
  delete env.ORB_LEARNING_DB
  if (options.env?.ORB_LEARNING_SERVER === undefined) delete env.ORB_LEARNING_SERVER
  const child = spawn(process.execPath, cliArgs(...args), { stdio: ['pipe', 'pipe', 'pipe'], env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => {
    stdout += String(d)
  })
  child.stderr.on('data', (d) => {
    stderr += String(d)
  })
  child.stdin.end(options.stdin ?? '')
  const [code] = (await once(child, 'exit')) as [number | null]
  return { code, stdout, stderr }
}

/** Run the CLI in this process (its HTTP calls still go to the server child), with the API key by default. */
const remote = (args: string[], env: Record<string, string> = { ORB_LEARNING_API_KEY: KEY }) =>
  runCli(args, { env })

const json = (run: Run): Record<string, unknown> => {
  assert.equal(run.code, 0, run.stderr)
  return JSON.parse(run.stdout) as Record<string, unknown>
}

describe('CLI --server mode against a running orb-learning serve', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orb-learning-server-mode-'))
    served = join(dir, 'served.duckdb')
    local = join(dir, 'local.duckdb')
    server = spawn(process.execPath, cliArgs('serve', '--port', '0', '--db', served, '--json'), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ORB_LEARNING_API_KEYS: `write+read:${KEY}` },
    })
    server.stderr!.resume()
    const [line] = (await once(createInterface({ input: server.stdout! }), 'line')) as [string]
    url = (JSON.parse(line) as { url: string }).url
    // The same records in a local database: every remote answer is compared with the local one.
    const [remote, home] = await Promise.all([
      cli(['record', '--server', url, '--json'], { stdin: JSONL }),
      runCli(['record', '--db', local, '--json'], { stdin: JSONL }),
    ])
    assert.equal(remote.code, 1, remote.stderr)
    assert.equal(home.code, 1, home.stderr)
    assert.deepEqual(JSON.parse(remote.stdout), JSON.parse(home.stdout))
  })

  after(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM')
      await once(server, 'exit')
    }
    rmSync(dir, { recursive: true, force: true })
  })

  it('should record JSONL through the server in batches, reporting rejected lines like local mode', async () => {
    // before() recorded the same JSONL remotely and locally and compared the summaries.
    const [status, text, one] = await Promise.all([
      cli(['status', '--server', url, '--json']),
      cli(['record', '--server', url], { stdin: `${LINES[0]}\n${LINES[1_150]}\n` }),
      remote([
        'record',
        JSON.stringify(execution({ task_description: 'unique' })),
        '--server',
        url,
        '--json',
      ]),
    ])
    assert.ok([1_198, 1_199].includes(json(status).record_count as number))
    assert.equal(text.code, 1)
    assert.match(text.stdout, /^inserted 0, updated 1, rejected 1\n/)
    assert.match(text.stderr, /^record 2: not valid JSON/m)
    assert.equal((json(one) as { inserted: number }).inserted, 1)
  })

  it('should print status, queries, query and search in the same shape as local mode', async () => {
    const query = ['query', 'success_by_model_tier', '--range', '7d', '--json']
    const search = ['search', 'refactor the JSON parser', '--min-similarity', '0', '--limit', '5']
    const [status, queries, remoteQuery, remoteSearch, remoteTable] = await Promise.all([
      remote(['status', '--server', url, '--json']),
      remote(['queries', '--server', url, '--json']),
      cli([...query, '--server', url]),
      cli([...search, '--json', '--server', url]),
      remote([...search, '--server', url]),
    ])
    const localStatus = JSON.parse((await runCli(['status', '--db', local, '--json'])).stdout) as object
    assert.deepEqual(Object.keys(json(status)).sort(), Object.keys(localStatus).sort())
    assert.equal(json(status).path, served)
    assert.deepEqual(json(queries), JSON.parse((await runCli(['queries', '--json'])).stdout))
    const localQuery = JSON.parse((await runCli([...query, '--db', local])).stdout) as { rows: unknown[] }
    const rq = json(remoteQuery) as { rows: unknown[]; name: string }
    assert.equal(rq.name, 'success_by_model_tier')
    assert.ok(rq.rows.length >= 3)
    assert.deepEqual(Object.keys(rq).sort(), Object.keys(localQuery).sort())
    const localSearch = await runCli([...search, '--json', '--db', local])
    const rows = json(remoteSearch) as unknown as { task_description: string; task_id: string }[]
    assert.equal(rows.length, 5)
    assert.equal(rows[0]!.task_description, DESCRIPTIONS[0])
    assert.deepEqual(
      rows.map((r) => Object.keys(r).sort()),
      (JSON.parse(localSearch.stdout) as object[]).map((r) => Object.keys(r).sort()),
    )
    assert.equal(remoteTable.code, 0, remoteTable.stderr)
    assert.match(remoteTable.stdout, /^similarity\s+timestamp\s+repo\s+task_type\s+model_tier/)
    assert.equal(remoteTable.stdout.trim().split('\n').length, 7)
  })

  it('should recommend and take feedback through the server', async () => {
    const rec = json(
      await remote([
        'recommend',
        '--task-type',
        'refactor',
        '--description',
        DESCRIPTIONS[0]!,
        '--repo',
        'orb/api',
        '--server',
        url,
        '--json',
      ]),
    ) as { task_id: string; chosen: { model_tier: string } }
    assert.ok(TIERS.includes(rec.chosen.model_tier))
    const taskId = RECORDS[0]!.task_id as string
    const given = json(await remote(['feedback', taskId, '--rating', '5', '--server', url, '--json']))
    assert.equal(given.task_id, taskId)
    const list = json(await remote(['feedback', '--list', taskId, '--server', url, '--json']))
    assert.equal((list as unknown as unknown[]).length, 1)
  })

  it('should read the server from ORB_LEARNING_SERVER and send the key from ORB_LEARNING_API_KEY', async () => {
    const [byEnv, noKey] = await Promise.all([
      remote(['status', '--json'], { ORB_LEARNING_SERVER: url, ORB_LEARNING_API_KEY: KEY }),
      remote(['status', '--server', url], {}),
    ])
    assert.equal(json(byEnv).path, served)
    assert.equal(noKey.code, 1)
    assert.match(noKey.stderr, /^error: missing API key/)
  })

  it("should print the server's error message with exit 1, and name an unreachable URL", async () => {
    const free = createServer()
    free.listen(0, '127.0.0.1')
    await once(free, 'listening')
    const port = (free.address() as { port: number }).port
    free.close()
    await once(free, 'close')
    const [bad, gone, local404] = await Promise.all([
      remote(['query', 'no_such_query', '--server', url]),
      remote(['status', '--server', `http://127.0.0.1:${port}`]),
      runCli(['query', 'no_such_query', '--db', local]),
    ])
    assert.equal(bad.code, 1)
    assert.equal(bad.stderr, local404.stderr)
    assert.equal(gone.code, 1)
    assert.match(
      gone.stderr,
      new RegExp(`cannot reach the orb-learning server at http://127\\.0\\.0\\.1:${port}`),
    )
  })

  it('should refuse --server with exit 2 for commands without an HTTP equivalent', async () => {
    const file = join(dir, 'in.jsonl')
    writeFileSync(file, `${LINES[0]}\n`)
    const [imp, del, both] = await Promise.all([
      runCli(['import', file, '--server', url]),
      runCli(['feedback', '--delete', RECORDS[0]!.task_id as string, '--server', url]),
      runCli(['status', '--server', url, '--db', local]),
    ])
    assert.equal(imp.code, 2)
    assert.match(imp.stderr, /orb-learning import has no HTTP equivalent.*run it where the database is/)
    assert.equal(del.code, 2)
    assert.match(del.stderr, /feedback --delete has no HTTP equivalent/)
    assert.equal(both.code, 2)
    assert.match(both.stderr, /give --server URL or --db PATH, not both/)
  })

  it('should name --server and ORB_LEARNING_SERVER when a command finds the database held by the server', async () => {
    const [status, imp] = await Promise.all([
      runCli(['status', '--db', served]),
      runCli(['import', join(dir, 'in.jsonl'), '--db', served]),
    ])
    assert.equal(status.code, 1)
    assert.match(status.stderr, /is in use by another process \(PID \d+/)
    assert.match(status.stderr, /--server URL \(or ORB_LEARNING_SERVER\)/)
    assert.equal(imp.code, 1)
    assert.match(imp.stderr, /'import' has no --server mode: run it after stopping the server/)
  })
})
