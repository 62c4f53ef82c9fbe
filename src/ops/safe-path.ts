import { existsSync, lstatSync, realpathSync } from 'node:fs'
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import { invalidInput } from '../errors.js'

/** What a resolved path is for: the message names it, and `file` forbids the root itself. */
export interface SafePathOptions {
  /** Name of the field in messages, e.g. 'archiveDir'. */
  field: string
  /** The live database: this path, its WAL and its sidecars are never a valid target. */
  livePath?: string
  /** File names this path must match (e.g. backups only). */
  pattern?: RegExp
  /** What the pattern means, for the message. */
  patternName?: string
}

/**
 * Resolve a user-given path against a configured root (relative paths are relative to the root) and refuse
 * anything that leaves it: `..` traversal, NUL bytes, symlinks pointing outside, the live database itself.
 */
export function resolveInRoot(root: string, path: string, options: SafePathOptions): string {
  const { field } = options
  if (typeof path !== 'string' || path.length === 0) {
    throw invalidInput(`${field} must be a non-empty path, got ${JSON.stringify(path)}`)
  }
  if (path.includes('\0'))
    throw invalidInput(`${field} must not contain NUL bytes, got ${JSON.stringify(path)}`)
  if (path.includes("'"))
    throw invalidInput(`${field} must not contain a single quote, got ${JSON.stringify(path)}`)
  if (path.split(/[\\/]/).includes('..')) {
    throw invalidInput(`${field} must not contain '..' segments, got ${JSON.stringify(path)}`)
  }
  const rootAbs = resolve(root)
  const target = isAbsolute(path) ? resolve(path) : resolve(rootAbs, path)
  if (!isInside(rootAbs, target)) {
    throw invalidInput(`${field} must lie inside the data directory ${rootAbs}, got ${JSON.stringify(path)}`)
  }
  const realRoot = existsSync(rootAbs) ? realpathSync(rootAbs) : rootAbs
  const realTarget = realOfDeepestExisting(target)
  if (!isInside(realRoot, realTarget)) {
    throw invalidInput(
      `${field} leaves the data directory ${rootAbs} through a symbolic link: ${JSON.stringify(path)} -> ${realTarget}`,
    )
  }
  if (options.livePath !== undefined && options.livePath !== ':memory:') {
    const live = resolve(options.livePath)
    const liveReal = existsSync(live) ? realpathSync(live) : live
    for (const candidate of [target, realTarget]) {
      if (candidate === live || candidate === liveReal || candidate.startsWith(`${live}.`)) {
        throw invalidInput(
          `${field} must not be the live database or one of its files, got ${JSON.stringify(path)}`,
        )
      }
    }
  }
  if (options.pattern && !options.pattern.test(basename(target))) {
    throw invalidInput(
      `${field} must name ${options.patternName ?? `a file matching ${options.pattern}`}, got ${JSON.stringify(basename(target))}`,
    )
  }
  return target
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target)
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
}

/** The real path of `target`, following symlinks of its deepest existing ancestor (the rest does not exist yet). */
function realOfDeepestExisting(target: string): string {
  let existing = target
  const rest: string[] = []
  while (!pathExists(existing)) {
    const parent = dirname(existing)
    if (parent === existing) return target
    rest.unshift(basename(existing))
    existing = parent
  }
  return resolve(realpathSync(existing), ...rest)
}

function pathExists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}
