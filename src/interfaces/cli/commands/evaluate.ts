import { evaluatePolicies } from '../../../learning/evaluate-policies.js'
import { COMMON_OPTIONS, type Command } from '../command.js'
import { withCliStore } from '../open-cli-store.js'
import { formatTable, printResult } from '../output.js'
import { numberFlag } from './learning-flags.js'

const range = (i: [number, number] | null) => (i ? `${i[0].toFixed(3)}-${i[1].toFixed(3)}` : '')

export const evaluateCommand: Command = {
  name: 'evaluate',
  summary: 'Off-policy evaluation (IPS / SNIPS / doubly robust) of routing policies from the decision log',
  usage: '[--days N] [--policy always-<tier>|static_rule|greedy|logged ...]',
  options: { ...COMMON_OPTIONS, days: { type: 'string' }, policy: { type: 'string', multiple: true } },
  async run(args, io) {
    const policies = args.values.policy as string[] | undefined
    const report = await withCliStore(args, io, (store) =>
      evaluatePolicies(store, { days: numberFlag(args.values, 'days'), ...(policies ? { policies } : {}) }),
    )
    printResult(io, args.values.json === true, report, (r) =>
      [
        `${r.decisions} decisions with outcomes in the last ${r.days} days (${r.overridden} ran on a tier the router gave probability 0)`,
        '',
        formatTable(
          r.estimates.map((e) => ({
            policy: e.policy,
            success_dr: e.dr,
            dr_ci95: range(e.dr_interval),
            success_snips: e.snips,
            snips_ci95: range(e.interval),
            ips: e.ips,
            ess: e.ess,
            matched: e.matched,
            cost_per_task: e.cost,
            note: e.reason ?? '',
          })),
        ),
      ].join('\n'),
    )
    return 0
  },
}
