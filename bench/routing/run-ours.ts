import { join } from 'node:path'
import { recordExecutions } from '../../src/ingest/record-executions.js'
import { flushDecisions } from '../../src/learning/decision-log.js'
import { evaluatePolicies } from '../../src/learning/evaluate-policies.js'
import type { Random } from '../../src/learning/random.js'
import { recommendRoute } from '../../src/learning/recommend-route.js'
import type { RoutePolicy } from '../../src/learning/route-policy.js'
import { openStore } from '../../src/store.js'
import { drawOutcome, type SimTask, type World } from './world.js'

/** What one decision of the learned router did, for scoring. */
export interface OurStep {
  tier: string
  pool: string
  greedyTier: string
  success: boolean
  actual_cost: number
  latencyMs: number
}

/** Result of driving the router through its public API over a task sequence. */
export interface OurRun {
  steps: OurStep[]
  evaluation: Awaited<ReturnType<typeof evaluatePolicies>>
  writeSeconds: number
}

/**
 * Drive recommendRoute over the tasks on a fresh DuckDB file; outcomes are recorded as executions with
 * the decision's task_id, in batches of `batch` (the router sees an outcome only after its batch lands).
 */
export async function runOurs(
  world: World,
  tasks: readonly SimTask[],
  dir: string,
  /** The router's own randomness (its Thompson draws); outcomes come from each task's luck. */
  random: Random,
  options: {
    batch: number
    mode: RoutePolicy['mode']
    /** value_per_success of the max_utility policy. */
    value: number
    /** quality_target of the quality_target policy. */
    target: number
    /** quality_tolerance of the cheapest_within_tolerance policy. */
    tolerance: number
    settings: Record<string, unknown>
    startMs: number
    stepMs: number
    progress: (i: number) => void
  },
): Promise<OurRun> {
  const store = await openStore({ path: join(dir, `${world.name.replace(/\W+/g, '-')}.duckdb`) })
  const steps: OurStep[] = []
  let pending: Record<string, unknown>[] = []
  let writeSeconds = 0
  const flush = async () => {
    const t0 = performance.now()
    const r = await recordExecutions(store, pending)
    if (r.rejected.length > 0) throw new Error(`rejected: ${r.rejected[0]!.error}`)
    writeSeconds += (performance.now() - t0) / 1000
    pending = []
  }
  try {
    for (const task of tasks) {
      const at = options.startMs + task.index * options.stepMs
      const t0 = performance.now()
      const rec = await recommendRoute(
        store,
        {
          task_type: task.task_type,
          task_description: task.task_description,
          repo: task.repo,
          complexity_score: task.complexity_score,
          estimated_tokens: task.estimated_tokens,
        },
        {
          now: new Date(at),
          random,
          settings: options.settings,
          policy: {
            mode: options.mode,
            value_per_success: options.value,
            quality_tolerance: options.tolerance,
            quality_target: options.target,
          },
        },
      )
      const latencyMs = performance.now() - t0
      const tier = rec.chosen.model_tier
      const pool = rec.chosen.pool_type === 'default' ? 'standard' : rec.chosen.pool_type
      const outcome = drawOutcome(world, task, tier, pool)
      steps.push({ tier, pool, greedyTier: rec.greedy.model_tier, ...outcome, latencyMs })
      const rate = world.tiers.find((t) => t.name === tier)!.rate
      pending.push({
        task_id: rec.task_id,
        timestamp: new Date(at + 1000).toISOString(),
        task_type: task.task_type,
        task_description: task.task_description,
        repo: task.repo,
        estimated_tokens: task.estimated_tokens,
        model_tier: tier,
        pool_type: pool,
        routing_confidence: Math.min(1, Math.max(0, rec.chosen.predicted_success)),
        complexity_score: task.complexity_score,
        success: outcome.success,
        duration_seconds: outcome.duration_seconds,
        cost_estimate: (0.8 * rate * task.estimated_tokens) / 1000,
        actual_cost: outcome.actual_cost,
      })
      if (pending.length >= options.batch) await flush()
      options.progress(task.index)
    }
    if (pending.length > 0) await flush()
    const evaluation = await evaluatePolicies(store, { days: 3650 })
    return { steps, evaluation, writeSeconds }
  } finally {
    await flushDecisions(store).catch(() => undefined)
    await store.close()
  }
}
