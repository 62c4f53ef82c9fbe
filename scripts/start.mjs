// `npm start`: build when the sources are newer than dist/, make the demo database when missing, then serve it.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name)
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }, 0)

const cli = 'dist/interfaces/cli/main.js'
if (!existsSync(cli) || newest('src') > statSync(cli).mtimeMs) {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}
const run = (args) => {
  const result = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
const demoDb = 'data/demo.duckdb'
const isEmpty = () => {
  if (!existsSync(demoDb)) return true
  const status = spawnSync(process.execPath, [cli, 'status', '--db', demoDb, '--json'], { encoding: 'utf8' })
  if (status.status !== 0) return false // let the final `status` show the error
  return JSON.parse(status.stdout).record_count === 0
}
if (isEmpty()) run(['demo', '--db', demoDb])
run(['status', '--db', demoDb])

// The main job: the server with the dashboard on the demo database. It prints its URL; Ctrl-C (SIGINT) or
// SIGTERM reach it and it drains its writes before exiting.
const port = process.env.ORB_LEARNING_PORT ?? '8080'
const server = spawn(process.execPath, [cli, 'serve', '--db', demoDb, '--port', port], { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal))
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)))
