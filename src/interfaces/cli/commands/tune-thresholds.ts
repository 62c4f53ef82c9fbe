import { tuneThresholds } from '../../../learning/tune-thresholds.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatTable, printResult } from '../output.js'
import { numberFlag } from './learning-flags.js'

export const tuneThresholdsCommand: Command = {
  name: 'tune-thresholds',
  summary: 'Suggest complexity cut-offs per task type for a rule-based router',
  usage: '[--days N] [--tolerance X]',
  options: { ...COMMON_OPTIONS, days: { type: 'string' }, tolerance: { type: 'string' } },
  async run(args, io) {
    const report = await withCliStore(
      args,
      io,
      (store) =>
        tuneThresholds(store, {
          days: numberFlag(args.values, 'days'),
          tolerance: numberFlag(args.values, 'tolerance'),
        }),
      { readOnly: true },
    )
    printResult(io, args.values.json === true, report, (r) =>
      formatTable(
        r.task_types.map((t) => ({
          task_type: t.task_type,
          cut_offs: t.thresholds.map((x) => `${x.model_tier}>=${x.min_complexity}`).join(' '),
          success: t.expected_success,
          cost: t.expected_cost,
          best_tier_success: t.best_success,
          static_success: t.static_rule?.expected_success,
          static_cost: t.static_rule?.expected_cost,
          executions: t.executions,
        })),
      ),
    )
    return 0
  },
}
