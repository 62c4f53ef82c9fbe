import { withBackend } from '../cli-backend.js'
import { COMMON_OPTIONS, type Command, UsageError } from '../command.js'
import { formatKeyValues, formatTable, printResult } from '../output.js'
import { numberFlag, stringFlag } from './learning-flags.js'

export const feedbackCommand: Command = {
  name: 'feedback',
  summary: 'Record user feedback on a task, or --list / --delete / --export it',
  usage:
    'TASK_ID [--satisfaction excellent|good|fair|poor] [--rating 1-5] [--accepted true|false] [--model-appropriate|--speed-acceptable|--expectations-met true|false] [--issue-type wrong_model|too_slow|poor_quality|other] [--comment TEXT] [--user ID] [--visibility private|team|public] | --list TASK_ID | --delete FEEDBACK_ID | --export [--days N]',
  help: [
    'The three yes/no questions set satisfaction instead: 3 true = excellent, 2 good, 1 fair, 0 poor.',
    'fair/poor need --issue-type (a false answer names it); --issue-type other needs --comment (at most 2,000 characters).',
    'Private by default, anonymous unless --user is given; one feedback per task and user per minute, five in all.',
    '--export prints every feedback without task ids, descriptions, repos or user ids (comments only if public).',
  ].join('\n'),
  remote: true,
  options: {
    ...COMMON_OPTIONS,
    satisfaction: { type: 'string' },
    rating: { type: 'string' },
    accepted: { type: 'string' },
    'model-appropriate': { type: 'string' },
    'speed-acceptable': { type: 'string' },
    'expectations-met': { type: 'string' },
    'issue-type': { type: 'string' },
    comment: { type: 'string' },
    user: { type: 'string' },
    visibility: { type: 'string' },
    list: { type: 'boolean', default: false },
    delete: { type: 'boolean', default: false },
    export: { type: 'boolean', default: false },
    days: { type: 'string' },
  },
  async run(args, io) {
    const v = args.values
    const json = v.json === true
    const [id] = args.positionals
    if (v.export === true) {
      const rows = await withBackend(args, io, (b) => b.exportFeedback({ days: numberFlag(v, 'days') }), {
        readOnly: true,
      })
      printResult(io, json, rows, (r) => formatTable(r as unknown as Record<string, unknown>[]))
      return 0
    }
    if (id === undefined) throw new UsageError('give a TASK_ID (or a FEEDBACK_ID with --delete)')
    if (v.list === true) {
      const rows = await withBackend(args, io, (b) => b.listFeedback({ task_id: id }), { readOnly: true })
      printResult(io, json, rows, (r) => formatTable(r as unknown as Record<string, unknown>[]))
      return 0
    }
    if (v.delete === true) {
      const r = await withBackend(args, io, (b) => b.deleteFeedback({ feedback_id: id }))
      printResult(io, json, r, (x) => `deleted ${x.deleted}`)
      return 0
    }
    const yesNo = (flag: string): boolean | undefined => {
      const value = stringFlag(v, flag)
      if (value !== undefined && value !== 'true' && value !== 'false')
        throw new UsageError(`--${flag} must be true or false, got ${JSON.stringify(value)}`)
      return value === undefined ? undefined : value === 'true'
    }
    const input = Object.fromEntries(
      Object.entries({
        task_id: id,
        satisfaction: stringFlag(v, 'satisfaction'),
        rating: numberFlag(v, 'rating'),
        accepted: yesNo('accepted'),
        model_appropriate: yesNo('model-appropriate'),
        speed_acceptable: yesNo('speed-acceptable'),
        expectations_met: yesNo('expectations-met'),
        issue_type: stringFlag(v, 'issue-type'),
        comment: stringFlag(v, 'comment'),
        user_id: stringFlag(v, 'user'),
        visibility: stringFlag(v, 'visibility'),
      }).filter(([, x]) => x !== undefined),
    )
    const r = await withBackend(args, io, (b) => b.recordFeedback(input as never))
    printResult(io, json, r, (x) => formatKeyValues({ ...x }))
    return 0
  },
}
