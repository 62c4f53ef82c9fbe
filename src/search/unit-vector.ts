/** Scale a vector to unit length in place; `null` for a zero or non-finite vector. */
export function normalizeVector(vector: Float32Array): Float32Array | null {
  let norm = 0
  for (let i = 0; i < vector.length; i++) norm += vector[i]! * vector[i]!
  if (!(norm > 0) || !Number.isFinite(norm)) return null
  const scale = 1 / Math.sqrt(norm)
  for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! * scale
  return vector
}
