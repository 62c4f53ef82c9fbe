import { createHash } from 'node:crypto'
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'

/** What is recorded beside a saved index so that a damaged or stale file is recognised at open. */
export interface IndexMeta {
  format: 1
  embedder_id: string
  quantization: 'f32' | 'i8'
  connectivity: number
  count: number
  index_bytes: number
  /** sha256 of the keys file and of the first and last MiB of the index file. */
  checksum: string
}

/** The three files of a persisted index beside `<db>`: `<db>.usearch`, `.usearch.keys`, `.usearch.json`. */
export function indexPaths(dbPath: string): { index: string; keys: string; meta: string } {
  return { index: `${dbPath}.usearch`, keys: `${dbPath}.usearch.keys`, meta: `${dbPath}.usearch.json` }
}

/** Checksum of a saved index: the full keys file plus the first and last MiB of the index file. */
export function indexChecksum(indexFile: string, keys: Buffer): string {
  const hash = createHash('sha256').update(keys)
  const data = readFileSync(indexFile)
  const mib = 1 << 20
  hash.update(data.subarray(0, mib))
  if (data.length > mib) hash.update(data.subarray(Math.max(mib, data.length - mib)))
  return hash.digest('hex')
}

/**
 * Save atomically: `writeIndex(tmp)` writes the index, then the keys and the meta go to temp files,
 * and all three are renamed into place, the meta last (the meta vouches for the other two).
 */
export function saveIndexFiles(
  dbPath: string,
  writeIndex: (path: string) => void,
  keys: BigUint64Array,
  meta: Omit<IndexMeta, 'index_bytes' | 'checksum' | 'format'>,
): void {
  const paths = indexPaths(dbPath)
  const keyBytes = Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength)
  rmSync(paths.meta, { force: true })
  writeIndex(`${paths.index}.tmp`)
  writeFileSync(`${paths.keys}.tmp`, keyBytes)
  const full: IndexMeta = {
    format: 1,
    ...meta,
    index_bytes: statSync(`${paths.index}.tmp`).size,
    checksum: indexChecksum(`${paths.index}.tmp`, keyBytes),
  }
  writeFileSync(`${paths.meta}.tmp`, JSON.stringify(full))
  renameSync(`${paths.index}.tmp`, paths.index)
  renameSync(`${paths.keys}.tmp`, paths.keys)
  renameSync(`${paths.meta}.tmp`, paths.meta)
}

/** A saved index that passed the size and checksum checks, or the reason it cannot be used. */
export type LoadedIndexFiles =
  | { ok: true; meta: IndexMeta; keys: BigUint64Array; indexPath: string }
  | { ok: false; reason: string | undefined }

/** Check the saved files of an index; `reason` is undefined when there simply is none yet. */
export function checkIndexFiles(dbPath: string): LoadedIndexFiles {
  const paths = indexPaths(dbPath)
  if (!existsSync(paths.meta) && !existsSync(paths.index)) return { ok: false, reason: undefined }
  try {
    const meta = JSON.parse(readFileSync(paths.meta, 'utf8')) as IndexMeta
    if (meta.format !== 1) return { ok: false, reason: `unknown index format ${meta.format}` }
    const keyBytes = readFileSync(paths.keys)
    if (keyBytes.length !== meta.count * 8)
      return { ok: false, reason: `keys file has ${keyBytes.length} bytes, expected ${meta.count * 8}` }
    const size = statSync(paths.index).size
    if (size !== meta.index_bytes)
      return { ok: false, reason: `index file has ${size} bytes, expected ${meta.index_bytes}` }
    if (indexChecksum(paths.index, keyBytes) !== meta.checksum)
      return { ok: false, reason: 'index checksum mismatch' }
    const keys = new BigUint64Array(new Uint8Array(keyBytes).buffer)
    return { ok: true, meta, keys, indexPath: paths.index }
  } catch (error) {
    return { ok: false, reason: `unreadable index files (${String(error)})` }
  }
}
