/** Turns texts into unit vectors; the one seam between the store and any embedding model. */
export interface Embedder {
  /** Stable identifier of the model and its version, stored with the vectors it made. */
  readonly id: string
  /** Length of every vector it returns. */
  readonly dimensions: number
  /** One vector per text, in order; `null` where the text has nothing to embed. */
  embed(texts: readonly string[]): Promise<(Float32Array | null)[]>
  /** Release threads, sockets or sessions the embedder holds. Optional; safe to call twice. */
  close?(): Promise<void>
}
