import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { COMMANDS } from '../src/interfaces/cli/commands/index.js'
import { execution } from './support/executions.js'
import { runCli } from './support/run-cli.js'
import { withTempDir } from './support/temp-store.js'

const CLI = fileURLToPath(new URL('../dist/interfaces/cli/main.js', import.meta.url))

describe('orb-learning CLI', () => {
  for (const command of COMMANDS) {
    it(`should print help for '${command.name}' with --help and accept --db and --json`, async () => {
      const out = await runCli([command.name, '--help'])
      assert.equal(out.code, 0)
      assert.match(out.stdout, new RegExp(`^orb-learning ${command.name} `))
      assert.ok('db' in command.options && 'json' in command.options && 'help' in command.options)
    })
  }

  it('should list the commands and exit 2 without a command, 2 for an unknown command or flag', async () => {
    const bare = await runCli([])
    assert.equal(bare.code, 2)
    for (const c of COMMANDS) assert.match(bare.stdout, new RegExp(`\\b${c.name}\\b`))
    const unknown = await runCli(['frobnicate'])
    assert.equal(unknown.code, 2)
    assert.match(unknown.stderr, /unknown command 'frobnicate'/)
    const flag = await runCli(['status', '--colour'])
    assert.equal(flag.code, 2)
    assert.match(flag.stderr, /^error: .*--colour.*\nusage: orb-learning status/s)
  })

  it('should print errors on stderr with exit 1 (demo into a database with real rows)', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'real.duckdb')
      assert.equal((await runCli(['record', JSON.stringify(execution()), '--db', db])).code, 0)
      const out = await runCli(['demo', '--rows', '10', '--db', db])
      assert.equal(out.code, 1)
      assert.equal(out.stdout, '')
      assert.match(out.stderr, /^error: database .* holds 1 rows that are not demo data/)
    }))

  it('should run the built binary: init, record from stdin, status --json', { skip: !existsSync(CLI) }, () =>
    withTempDir(async (dir) => {
      const env = { ...process.env, ORB_LEARNING_DB: join(dir, 'smoke.duckdb') }
      const run = (args: string[], input?: string) =>
        spawnSync(process.execPath, [CLI, ...args], { env, input, encoding: 'utf8', timeout: 60_000 })
      assert.equal(run(['init']).status, 0)
      const recorded = run(['record', '--json'], `${JSON.stringify(execution())}\n`)
      assert.equal(recorded.status, 0, recorded.stderr)
      const status = run(['status', '--json'])
      assert.equal(status.status, 0, status.stderr)
      assert.equal(JSON.parse(status.stdout).record_count, 1)
      const bad = run(['import'])
      assert.equal(bad.status, 2)
    }),
  )
})
