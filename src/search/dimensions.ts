/** Dimension of the `embedding` column and of every built-in embedder. */
export const EMBEDDING_DIMENSIONS = 384
