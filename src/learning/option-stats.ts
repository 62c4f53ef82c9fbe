import { complexityBucket } from './route-settings.js'

/** One observation of an option in a context, with its weight (1 for an outcome, less for feedback). */
export interface Observation {
  model_tier: string
  pool_type: string
  task_type: string
  repo: string
  complexity_score: number
  /** 1 success, 0 failure. */
  success: number
  weight: number
  /** Milliseconds since epoch. */
  time: number
  actual_cost?: number | undefined
  estimated_tokens?: number | undefined
  duration_seconds?: number | undefined
}

/** Decayed sufficient statistics of one group: success counts and log-moments of cost and duration. */
export interface Cell {
  s: number
  f: number
  /** log(actual_cost / estimated_tokens): weight, sum, sum of squares. */
  rw: number
  r1: number
  r2: number
  /** log(actual_cost + 1e-6). */
  cw: number
  c1: number
  c2: number
  /** log(duration_seconds + 0.01). */
  dw: number
  d1: number
  d2: number
}

const emptyCell = (): Cell => ({ s: 0, f: 0, rw: 0, r1: 0, r2: 0, cw: 0, c1: 0, c2: 0, dw: 0, d1: 0, d2: 0 })

/** Group keys of the pooling levels, most general first. */
export function levelKeys(
  tier: string,
  pool: string,
  taskType: string,
  bucket: number,
  repo: string,
): [string, string, string, string, string] {
  return [
    `${tier}`,
    typeKey(tier, taskType),
    bucketKey(tier, taskType, bucket),
    `${tier}\u0000${taskType}\u0000${bucket}\u0000${repo}`,
    `${tier}\u0000${pool}\u0000${taskType}\u0000${bucket}\u0000${repo}`,
  ]
}

/** Key of the tier × task_type group (pooling level 1). */
export function typeKey(tier: string, taskType: string): string {
  return `${tier}\u0000${taskType}`
}

/** Key of the tier × task_type × complexity bucket group (pooling level 2). */
export function bucketKey(tier: string, taskType: string, bucket: number): string {
  return `${tier}\u0000${taskType}\u0000${bucket}`
}

/** Key of the per-(tier, pool, task_type) cost and duration group, and of (tier, pool). */
export function costKeys(tier: string, pool: string, taskType: string): [string, string, string] {
  return [`\u0001${tier}`, `\u0001${tier}\u0000${pool}`, `\u0001${tier}\u0000${pool}\u0000${taskType}`]
}

/**
 * Time-decayed sufficient statistics of every group, kept in memory. Weights are stored relative to a
 * fixed reference time (w = 2^((t - ref) / halfLife)) so an update is O(levels) and decay is applied
 * once at read time.
 */
export class OptionStats {
  readonly #cells = new Map<string, Cell>()
  readonly #halfLifeMs: number
  readonly #ref: number
  readonly tiers = new Set<string>()
  readonly pools = new Set<string>()
  readonly taskTypes = new Set<string>()
  /** Observations added (outcomes and feedback). */
  count = 0

  constructor(halfLifeDays: number, referenceTime: number) {
    this.#halfLifeMs = halfLifeDays * 86_400_000
    this.#ref = referenceTime
  }

  /** Reference time (ms) the stored weights are relative to. */
  get referenceTime(): number {
    return this.#ref
  }

  /** Decay multiplier of an event at `time` relative to the reference time. */
  weightAt(time: number): number {
    return 2 ** ((time - this.#ref) / this.#halfLifeMs)
  }

  /** Add one observation to every pooling level. */
  add(o: Observation): void {
    const w = o.weight * this.weightAt(o.time)
    this.tiers.add(o.model_tier)
    this.pools.add(o.pool_type)
    this.taskTypes.add(o.task_type)
    this.count++
    const bucket = complexityBucket(o.complexity_score)
    for (const key of levelKeys(o.model_tier, o.pool_type, o.task_type, bucket, o.repo)) {
      const cell = this.#cell(key)
      cell.s += w * o.success
      cell.f += w * (1 - o.success)
    }
    if (o.actual_cost === undefined && o.duration_seconds === undefined) return
    for (const key of costKeys(o.model_tier, o.pool_type, o.task_type)) this.addMoments(key, o, w)
  }

  /** Merge pre-aggregated statistics (from the loading query) into a group. */
  merge(key: string, cell: Partial<Cell>): void {
    const target = this.#cell(key)
    for (const [k, v] of Object.entries(cell) as [keyof Cell, number][]) target[k] += v
  }

  /** The group's statistics decayed to `now` (undefined when never seen). */
  read(key: string, now: number): Cell | undefined {
    const cell = this.#cells.get(key)
    if (!cell) return undefined
    const k = 2 ** ((this.#ref - now) / this.#halfLifeMs)
    return {
      s: cell.s * k,
      f: cell.f * k,
      rw: cell.rw * k,
      r1: cell.r1 * k,
      r2: cell.r2 * k,
      cw: cell.cw * k,
      c1: cell.c1 * k,
      c2: cell.c2 * k,
      dw: cell.dw * k,
      d1: cell.d1 * k,
      d2: cell.d2 * k,
    }
  }

  /** Every group key with its raw (undecayed) cell; for empirical-Bayes estimation. */
  entries(): IterableIterator<[string, Cell]> {
    return this.#cells.entries()
  }

  private addMoments(key: string, o: Observation, w: number): void {
    const cell = this.#cell(key)
    if (o.actual_cost !== undefined) {
      const lc = Math.log(o.actual_cost + 1e-6)
      cell.cw += w
      cell.c1 += w * lc
      cell.c2 += w * lc * lc
      if (o.estimated_tokens !== undefined && o.estimated_tokens > 0 && o.actual_cost > 0) {
        const lr = Math.log(o.actual_cost / o.estimated_tokens)
        cell.rw += w
        cell.r1 += w * lr
        cell.r2 += w * lr * lr
      }
    }
    if (o.duration_seconds !== undefined) {
      const ld = Math.log(o.duration_seconds + 0.01)
      cell.dw += w
      cell.d1 += w * ld
      cell.d2 += w * ld * ld
    }
  }

  #cell(key: string): Cell {
    let cell = this.#cells.get(key)
    if (!cell) {
      cell = emptyCell()
      this.#cells.set(key, cell)
    }
    return cell
  }
}
