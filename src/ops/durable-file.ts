import { closeSync, fsyncSync, openSync, read, renameSync, rmSync, writeFileSync } from 'node:fs'
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

const COPY_STEP_BYTES = 8 * 1024 * 1024
const FLUSH_EVERY_BYTES = 64 * 1024 * 1024

/**
 * Copy a large file to disk in steps, flushing every 64 MB, off the event loop. A plain copy leaves gigabytes
 * of dirty pages, and on ext4 every other fsync meanwhile (the WAL's, at each commit) waits behind their
 * writeback: a 2.4 GB copy stalled commits for over a second. `source` may be a descriptor opened earlier:
 * the copy then reads that file even if the name was replaced since. The descriptor is closed.
 */
export async function copyFileFlushed(source: string | number, target: string): Promise<void> {
  const from = typeof source === 'number' ? source : openSync(source, 'r')
  try {
    const to = await open(target, 'w')
    try {
      const buffer = Buffer.allocUnsafe(COPY_STEP_BYTES)
      let unflushed = 0
      for (let position = 0; ; ) {
        const bytesRead = await readAt(from, buffer, position)
        if (bytesRead === 0) break
        await to.write(buffer, 0, bytesRead, position)
        position += bytesRead
        unflushed += bytesRead
        if (unflushed >= FLUSH_EVERY_BYTES) {
          await to.datasync()
          unflushed = 0
        }
      }
      await to.sync()
    } finally {
      await to.close()
    }
  } finally {
    closeSync(from)
  }
}

function readAt(fd: number, buffer: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buffer, 0, buffer.length, position, (error, bytesRead) =>
      error ? reject(error) : resolve(bytesRead),
    ),
  )
}

/** Write a whole file durably: temp name, fsync, rename. A reader sees the old file or the new one. */
export function writeFileDurably(path: string, content: string): void {
  const tmp = `${path}.tmp`
  rmSync(tmp, { force: true })
  writeFileSync(tmp, content)
  commitFile(tmp, path)
}
