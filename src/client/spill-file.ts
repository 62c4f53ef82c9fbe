import { appendFile, mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * A local JSONL file of records the client could not send (buffer full or server down), replayed later.
 * Replay renames the file first, so records recorded meanwhile go to a fresh file and nothing is read twice
 * by one client; a record sent twice after a crash is harmless (task_id makes the write an upsert).
 */
export class SpillFile {
  readonly path: string
  #writing: Promise<void> = Promise.resolve()

  constructor(path: string) {
    this.path = path
  }

  /** Append records (serialised one per line); appends are ordered. */
  append(records: readonly object[]): Promise<void> {
    if (records.length === 0) return this.#writing
    const text = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`
    this.#writing = this.#writing.then(async () => {
      await mkdir(dirname(this.path), { recursive: true })
      await appendFile(this.path, text, { mode: 0o600 })
    })
    return this.#writing
  }

  /** Whether spilled records wait (in the file or in an interrupted replay). */
  async hasRecords(): Promise<boolean> {
    await this.#writing
    return (await size(this.path)) > 0 || (await size(this.#replayPath)) > 0
  }

  /**
   * Take every spilled record out of the file for replay (an interrupted replay's records first).
   * `done()` removes them for good; `restore(rest)` puts the unsent ones back.
   */
  async take(): Promise<{
    records: object[]
    done(): Promise<void>
    restore(rest: readonly object[]): Promise<void>
  }> {
    await this.#writing
    if ((await size(this.#replayPath)) === 0 && (await size(this.path)) > 0)
      await rename(this.path, this.#replayPath)
    const text = await readFile(this.#replayPath, 'utf8').catch(() => '')
    const records: object[] = []
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue
      try {
        records.push(JSON.parse(line) as object)
      } catch {
        // A line torn by a crash mid-append cannot be sent; the rest can.
      }
    }
    return {
      records,
      done: () => rm(this.#replayPath, { force: true }),
      restore: async (rest) => {
        await this.append(rest)
        await rm(this.#replayPath, { force: true })
      },
    }
  }

  get #replayPath(): string {
    return `${this.path}.replaying`
  }
}

async function size(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    return 0
  }
}
