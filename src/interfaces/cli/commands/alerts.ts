import { checkAlerts } from '../../../ops/check-alerts.js'
import { deliverWebhook } from '../../../ops/deliver-webhook.js'
import type { Command } from '../command.js'
import { DATA_DIR_HELP, numberFlag, OPS_OPTIONS, stringFlag, withOpsCliStore } from '../ops-cli.js'
import { formatTable, printResult } from '../output.js'

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'Check health alerts (success rate, durations, size, backlog, backups, cost and error spikes)',
  usage:
    '[--min-success-rate 0.8] [--max-p95-seconds 600] [--warning-mb 500] [--critical-mb 1000] [--webhook URL] [--json]',
  help:
    '  --webhook URL  also POST the report as JSON (env ORB_LEARNING_ALERT_WEBHOOK), with retries\n' +
    'Exit code 0 when no alert fires, 1 otherwise.\n' +
    DATA_DIR_HELP,
  options: {
    ...OPS_OPTIONS,
    'min-success-rate': { type: 'string' },
    'max-p95-seconds': { type: 'string' },
    'warning-mb': { type: 'string' },
    'critical-mb': { type: 'string' },
    webhook: { type: 'string' },
  },
  async run(args, io) {
    const report = await withOpsCliStore(
      args,
      io,
      (s) =>
        checkAlerts(s, {
          minSuccessRate: numberFlag(args, 'min-success-rate'),
          maxP95DurationSeconds: numberFlag(args, 'max-p95-seconds'),
          warningMb: numberFlag(args, 'warning-mb'),
          criticalMb: numberFlag(args, 'critical-mb'),
        }),
      { readOnly: true },
    )
    const webhook = stringFlag(args, 'webhook') ?? io.env.ORB_LEARNING_ALERT_WEBHOOK
    const delivery = webhook
      ? await deliverWebhook(webhook, { source: 'orb-learning', ...report })
      : undefined
    printResult(
      io,
      args.values.json === true,
      { ...report, ...(delivery ? { webhook: delivery } : {}) },
      (r) =>
        [
          `status: ${r.status}`,
          formatTable(r.alerts as unknown as Record<string, unknown>[], [
            'severity',
            'name',
            'metric',
            'value',
            'threshold',
            'message',
          ]),
          ...(delivery
            ? [`webhook: ${delivery.delivered ? 'delivered' : `failed (${delivery.error})`}`]
            : []),
        ].join('\n'),
    )
    return report.alerts.length === 0 ? 0 : 1
  },
}
