import { existsSync } from 'node:fs'

/** Node arguments that run the CLI: the built one when `npm test` built it, else the sources through tsx. */
export function cliArgs(...args: string[]): string[] {
  const built = 'dist/interfaces/cli/main.js'
  return existsSync(built) ? [built, ...args] : ['--import', 'tsx', 'src/interfaces/cli/main.ts', ...args]
}
