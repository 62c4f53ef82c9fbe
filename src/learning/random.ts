/** A source of uniform numbers in [0, 1); `Math.random` in production, a seeded one in tests and simulations. */
export type Random = () => number

/** A small, fast, seedable generator (mulberry32) for reproducible runs. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A standard normal draw (Box-Muller). */
export function sampleNormal(random: Random): number {
  let u = random()
  while (u <= Number.EPSILON) u = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** A Gamma(shape, 1) draw (Marsaglia-Tsang, with the shape < 1 boost). */
export function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) {
    let u = random()
    while (u <= Number.EPSILON) u = random()
    return sampleGamma(shape + 1, random) * u ** (1 / shape)
  }
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = sampleNormal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = random()
    const x2 = x * x
    if (u < 1 - 0.0331 * x2 * x2) return d * v
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v
  }
}

/** A Beta(alpha, beta) draw. */
export function sampleBeta(alpha: number, beta: number, random: Random): number {
  const x = sampleGamma(alpha, random)
  const y = sampleGamma(beta, random)
  return x + y === 0 ? alpha / (alpha + beta) : x / (x + y)
}
