/** One record read from an import file: where it was (1-based line or row) and what it holds. */
export type SourceRow = { line: number; record: unknown } | { line: number; error: string }

/** A record source with a progress hint: rows read so far and the share of the input consumed. */
export interface RecordSource {
  rows: AsyncIterable<SourceRow>
  /** Expected number of rows when known up front (Parquet metadata, CSV line count). */
  total: number | undefined
  /** Share of the input consumed so far (0-1), when a byte position is known. */
  fraction(): number | undefined
}
