import { calibrateCost } from '../../../learning/calibrate-cost.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatKeyValues, printResult } from '../output.js'
import { numberFlag, requiredFlag } from './learning-flags.js'

export const calibrateCostCommand: Command = {
  name: 'calibrate-cost',
  summary: 'Calibrated cost estimate with interval, and the estimate error before/after on recent data',
  usage: '--tier T --task-type T --tokens N [--estimate COST] [--days N]',
  options: {
    ...COMMON_OPTIONS,
    tier: { type: 'string' },
    'task-type': { type: 'string' },
    tokens: { type: 'string' },
    estimate: { type: 'string' },
    days: { type: 'string' },
  },
  async run(args, io) {
    const v = args.values
    const result = await withCliStore(
      args,
      io,
      (store) =>
        calibrateCost(store, {
          model_tier: requiredFlag(v, 'tier'),
          task_type: requiredFlag(v, 'task-type'),
          estimated_tokens: numberFlag(v, 'tokens') ?? 0,
          cost_estimate: numberFlag(v, 'estimate'),
          days: numberFlag(v, 'days'),
        }),
      { readOnly: true },
    )
    printResult(io, v.json === true, result, (r) =>
      formatKeyValues({
        calibrated_cost: r.calibrated_cost,
        interval_95: r.interval ? `${r.interval[0].toPrecision(3)} - ${r.interval[1].toPrecision(3)}` : null,
        basis: r.basis,
        scope: r.scope,
        executions: r.executions,
        holdout_executions: r.holdout.executions,
        mape_before: r.holdout.before?.mape,
        bias_before: r.holdout.before?.bias,
        mape_after: r.holdout.after?.mape,
        bias_after: r.holdout.after?.bias,
      }),
    )
    return 0
  },
}
