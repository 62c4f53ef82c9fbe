import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { dirname } from 'node:path'

/** Flush a file's bytes to disk. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Flush a directory entry (after a rename) to disk; ignored where the platform cannot. */
export function fsyncDir(path: string): void {
  try {
    fsyncFile(path)
  } catch {
    // Some platforms cannot open a directory for fsync; the rename is still atomic.
  }
}

/** Make a finished temporary file durable and give it its final name atomically. */
export function commitFile(tmpPath: string, finalPath: string): void {
  fsyncFile(tmpPath)
  renameSync(tmpPath, finalPath)
  fsyncDir(dirname(finalPath))
}

/**
 * `commitFile` for a large file, with the fsync in the libuv pool: flushing gigabytes takes seconds, and on the
 * event loop it would hold up every acknowledgement meanwhile.
 */
export async function commitLargeFile(tmpPath: string, finalPath: string): Promise<void> {
  const file = await open(tmpPath, 'r')
  try {
    await file.sync()
  } finally {
    await file.close()
  }
  renameSync(tmpPath, finalPath)
  fsyncDir(dirname(finalPath))
}

/** Write a whole file durably: temp name, fsync, rename. A reader sees the old file or the new one. */
export function writeFileDurably(path: string, content: string): void {
  const tmp = `${path}.tmp`
  rmSync(tmp, { force: true })
  writeFileSync(tmp, content)
  commitFile(tmp, path)
}
