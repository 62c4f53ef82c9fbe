import { withBackend } from '../cli-backend.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { formatTable, printResult } from '../output.js'
import { numberFlag, requiredFlag, stringFlag } from './learning-flags.js'

export const recommendCommand: Command = {
  name: 'recommend',
  summary: 'Recommend a model tier and pool for a task (logged with its propensity)',
  usage:
    '--task-type T --description TEXT --repo R [--complexity 0-100] [--tokens N] [--task-id UUID] [--tolerance X] [--mode cheapest_within_tolerance|max_utility|quality_target] [--value-per-success X] [--quality-target X] [--max-cost X] [--greedy]',
  help: [
    '--greedy     no exploration: the option with the best posterior mean under the policy',
    '--tolerance  allowed drop in success below the best option (default 0.02)',
    "--quality-target  quality_target mode: share of the strongest option's success to keep on average over recent tasks (default 0.97)",
    'Use the printed task_id when recording the execution, so that its outcome joins the decision.',
  ].join('\n'),
  remote: true,
  options: {
    ...COMMON_OPTIONS,
    'task-type': { type: 'string' },
    description: { type: 'string' },
    repo: { type: 'string' },
    complexity: { type: 'string' },
    tokens: { type: 'string' },
    'task-id': { type: 'string' },
    tolerance: { type: 'string' },
    mode: { type: 'string' },
    'value-per-success': { type: 'string' },
    'quality-target': { type: 'string' },
    'max-cost': { type: 'string' },
    greedy: { type: 'boolean', default: false },
  },
  async run(args, io) {
    const v = args.values
    const task = {
      task_type: requiredFlag(v, 'task-type'),
      task_description: requiredFlag(v, 'description'),
      repo: requiredFlag(v, 'repo'),
      complexity_score: numberFlag(v, 'complexity'),
      estimated_tokens: numberFlag(v, 'tokens'),
      task_id: stringFlag(v, 'task-id'),
    }
    const policy = {
      quality_tolerance: numberFlag(v, 'tolerance'),
      mode: stringFlag(v, 'mode') as 'max_utility' | undefined,
      value_per_success: numberFlag(v, 'value-per-success'),
      quality_target: numberFlag(v, 'quality-target'),
      max_cost: numberFlag(v, 'max-cost'),
      explore: v.greedy !== true,
    }
    const r = await withBackend(args, io, (b) => b.recommendRoute(task, { policy }))
    printResult(io, v.json === true, r, (x) =>
      [
        `task_id     ${x.task_id}`,
        `decision_id ${x.decision_id}`,
        `chosen      ${x.chosen.model_tier} / ${x.chosen.pool_type} (propensity ${x.propensity.toFixed(3)})`,
        '',
        formatTable(
          x.options.map((o) => ({
            model_tier: o.model_tier,
            pool_type: o.pool_type,
            success: o.predicted_success,
            interval: `${o.success_interval[0].toFixed(3)}-${o.success_interval[1].toFixed(3)}`,
            expected_cost: o.expected_cost,
            p95_seconds: o.expected_duration_p95,
            executions: o.evidence.executions,
            similar: o.evidence.similar_executions,
          })),
        ),
        '',
        x.explanation,
      ].join('\n'),
    )
    return 0
  },
}
