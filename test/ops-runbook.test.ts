import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { recordExecutions } from '../src/ingest/record-executions.js'
import type { CliIo } from '../src/interfaces/cli/command.js'
import { main } from '../src/interfaces/cli/main.js'
import { openStore } from '../src/store.js'
import { execution } from './support/executions.js'
import { withTempDir } from './support/temp-store.js'

/** The `orb-learning ...` lines of the runbook section of docs/operations.md, in order. */
function runbookCommands(): string[] {
  const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'operations.md'), 'utf8')
  const runbook = doc.slice(doc.indexOf('## Runbook'), doc.indexOf('## Recovery cases'))
  return [...runbook.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
    m[1]!.split('\n').filter((line) => line.startsWith('orb-learning ')),
  )
}

async function run(
  argv: string[],
  env: Record<string, string>,
): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin: process.stdin,
    env,
    cwd: process.cwd(),
  }
  const code = await main(argv, io)
  return { code, out, err }
}

describe('operations runbook', () => {
  it('should work when followed step by step as docs/operations.md writes it', () =>
    withTempDir(async (dir) => {
      const db = join(dir, 'learning.duckdb')
      const store = await openStore({ path: db })
      await recordExecutions(store, [
        ...Array.from({ length: 5 }, () => execution({ daysAgo: 1 })),
        ...Array.from({ length: 3 }, () => execution({ daysAgo: 120 })),
      ])
      await store.close()
      const env = { ORB_LEARNING_DB: db }
      const commands = runbookCommands()
      assert.ok(commands.length >= 12, `runbook has ${commands.length} commands`)
      let backup = ''
      let archive = ''
      for (const line of commands) {
        const argv = line
          .split(/\s+/)
          .slice(1)
          .map((a) => a.replace('<backup>', backup).replace('<archive>', archive))
        const { code, out, err } = await run([...argv, '--json'], env)
        const name = argv[0]
        assert.ok(code === 0 || (name === 'alerts' && code === 1), `'${line}' exited ${code}: ${err}`)
        const result = JSON.parse(out)
        if (name === 'backup') backup = result.file
        if (name === 'retention' && !argv.includes('--stats')) {
          assert.equal(result.deleted_count, 3)
          archive = result.archive_file
        }
        if (name === 'validate-backup') assert.equal(result.valid, true)
        if (name === 'archive' && argv[1] === 'restore') assert.equal(result.restored.executions, 3)
        if (name === 'restore') assert.equal(result.record_count, 8)
        if (name === 'status') assert.equal(result.record_count, 8)
      }
      assert.notEqual(backup, '')
      assert.notEqual(archive, '')
    }))

  it('should reject bad input with clear messages and exit codes', () =>
    withTempDir(async (dir) => {
      const env = { ORB_LEARNING_DB: join(dir, 'learning.duckdb') }
      const cases: [string[], number, RegExp][] = [
        [['retention', '--days', '1.5'], 1, /days must be an integer, got "1.5"/],
        [['retention', '--days', '0'], 1, /--all-expired/],
        [['retention', '--days', '4000'], 1, /between 1 and 3650, got 4000/],
        [['retention', '--archive-dir', '../x'], 1, /must not contain '\.\.'/],
        [['storage', '--warning-mb', '900', '--critical-mb', '800'], 1, /warningMb must be below criticalMb/],
        [['validate-backup', 'learning.duckdb'], 1, /live database/],
        [['validate-backup', '/etc/passwd'], 1, /inside the data directory/],
        [['restore', 'notes.txt'], 1, /must name a backup/],
        [['archive', 'nope'], 2, /expected 'list' or 'restore FILE'/],
        [['backups', 'prune', '--keep', 'x'], 1, /keep must be an integer/],
      ]
      await run(['init'], env)
      for (const [argv, code, message] of cases) {
        const r = await run(argv, env)
        assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`)
        assert.match(r.err, message)
      }
    }))
})
