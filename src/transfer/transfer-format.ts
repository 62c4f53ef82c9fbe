import { extname } from 'node:path'
import { invalidInput } from '../errors.js'

/** File formats of import and export. */
export const TRANSFER_FORMATS = ['jsonl', 'csv', 'parquet'] as const

/** One of the file formats of import and export. */
export type TransferFormat = (typeof TRANSFER_FORMATS)[number]

const BY_EXTENSION: Readonly<Record<string, TransferFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'jsonl',
  '.csv': 'csv',
  '.parquet': 'parquet',
}

/** The format named by `format`, else the one of the file's extension; bad input otherwise. */
export function resolveFormat(file: string, format?: string): TransferFormat {
  if (format !== undefined) {
    const wanted = format.toLowerCase()
    if ((TRANSFER_FORMATS as readonly string[]).includes(wanted)) return wanted as TransferFormat
    throw invalidInput(`format must be one of ${TRANSFER_FORMATS.join(', ')}, got ${JSON.stringify(format)}`)
  }
  const byExtension = BY_EXTENSION[extname(file).toLowerCase()]
  if (byExtension) return byExtension
  throw invalidInput(
    `cannot tell the format of ${JSON.stringify(file)} from its extension; name it .jsonl, .csv or .parquet, or pass a format`,
  )
}
