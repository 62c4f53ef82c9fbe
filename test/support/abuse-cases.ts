import { randomUUID } from 'node:crypto'
import { execution } from './executions.js'

/** One generated hostile value for one record field, and whether the record rules accept it. */
export interface FieldCase {
  field: string
  value: unknown
  valid: boolean
  label: string
}

/** Strings that try SQL and path injection; every string field must store them verbatim or refuse them. */
export const INJECTIONS = [
  "'; DROP TABLE executions; --",
  "x' OR '1'='1",
  '1; DELETE FROM executions WHERE 1=1',
  "Robert'); DROP TABLE feedback;--",
  '../../../../etc/passwd',
  '..\\..\\windows\\system32',
  '/etc/shadow\u0000.json',
  '$(rm -rf /)',
  '<script>alert(1)</script>',
  '{{7*7}} ${7*7}',
]

type Kind =
  | 'name'
  | 'text'
  | 'count'
  | 'nonneg'
  | 'unit'
  | 'percent'
  | 'rating'
  | 'bool'
  | 'uuid'
  | 'timestamp'
  | 'embedding'
  | 'metadata'

const FIELDS: [string, Kind, 'required' | 'optional' | 'nullable'][] = [
  ['task_id', 'uuid', 'optional'],
  ['timestamp', 'timestamp', 'optional'],
  ['task_type', 'name', 'required'],
  ['task_description', 'text', 'required'],
  ['repo', 'name', 'required'],
  ['file_count', 'count', 'optional'],
  ['estimated_tokens', 'count', 'optional'],
  ['model_tier', 'name', 'required'],
  ['pool_type', 'name', 'required'],
  ['swarm_topology', 'name', 'nullable'],
  ['routing_confidence', 'unit', 'required'],
  ['complexity_score', 'percent', 'required'],
  ['success', 'bool', 'required'],
  ['duration_seconds', 'nonneg', 'required'],
  ['quality_score', 'percent', 'nullable'],
  ['cost_estimate', 'nonneg', 'required'],
  ['actual_cost', 'nonneg', 'required'],
  ['error_type', 'name', 'nullable'],
  ['error_message', 'text', 'nullable'],
  ['user_accepted', 'bool', 'nullable'],
  ['user_rating', 'rating', 'nullable'],
  ['peak_memory_mb', 'nonneg', 'nullable'],
  ['cpu_time_seconds', 'nonneg', 'nullable'],
  ['solution_summary', 'text', 'nullable'],
  ['embedding', 'embedding', 'nullable'],
  ['metadata', 'metadata', 'nullable'],
]

const invalidByKind: Record<Kind, [string, unknown][]> = {
  name: [
    ['empty', ''],
    ['blank', '   '],
    ['201 chars', 'x'.repeat(201)],
    ['number', 12],
    ['object', {}],
    ['array', ['a']],
  ],
  text: [
    ['10001 chars', 'x'.repeat(10_001)],
    ['number', 12],
    ['bool', true],
    ['object', { a: 1 }],
  ],
  count: [
    ['negative', -1],
    ['fraction', 1.5],
    ['over int32', 2 ** 31],
    ['string', '3'],
    ['bool', true],
  ],
  nonneg: [
    ['negative', -0.001],
    ['very negative', -1e308],
    ['string', '1.5'],
    ['bool', false],
    ['array', [1]],
  ],
  unit: [
    ['above 1', 1.0001],
    ['negative', -0.1],
    ['2', 2],
    ['string', '0.5'],
    ['object', {}],
  ],
  percent: [
    ['101', 101],
    ['negative', -1],
    ['fraction', 50.5],
    ['string', '50'],
  ],
  rating: [
    ['0', 0],
    ['6', 6],
    ['fraction', 3.5],
    ['string', '3'],
  ],
  bool: [
    ['string', 'true'],
    ['1', 1],
    ['0', 0],
    ['yes', 'yes'],
    ['object', {}],
  ],
  uuid: [
    ['not a uuid', 'not-a-uuid'],
    ['sql', INJECTIONS[0]],
    ['path', INJECTIONS[4]],
    ['number', 123],
    ['empty', ''],
  ],
  timestamp: [
    ['words', 'yesterday'],
    ['bad month', '2026-13-45T00:00:00Z'],
    ['future', new Date(Date.now() + 3_600_000).toISOString()],
    ['number', 123],
    ['sql', INJECTIONS[0]],
  ],
  embedding: [
    ['3 dims', [1, 2, 3]],
    ['string', 'x'],
    ['strings', Array(384).fill('a')],
    ['385 dims', Array(385).fill(0)],
  ],
  metadata: [
    ['string', 'meta'],
    ['array', [1, 2]],
    ['number', 5],
    ['over 64 KB', { blob: 'x'.repeat(70_000) }],
  ],
}

/** Every generated field case: hostile values per kind, nulls, and injection strings in string fields. */
export function fieldCases(): FieldCase[] {
  const cases: FieldCase[] = []
  for (const [field, kind, presence] of FIELDS) {
    for (const [label, value] of invalidByKind[kind]) cases.push({ field, value, valid: false, label })
    cases.push({ field, value: null, valid: presence === 'nullable', label: 'null' })
    if (kind === 'name' || kind === 'text')
      for (const [i, s] of INJECTIONS.entries())
        cases.push({ field, value: s, valid: true, label: `injection ${i}` })
    if (presence === 'required') cases.push({ field, value: undefined, valid: false, label: 'missing' })
  }
  cases.push({ field: 'evil_field', value: 1, valid: false, label: 'unknown field' })
  cases.push({
    field: "'; DROP TABLE executions; --",
    value: 1,
    valid: false,
    label: 'injection as a field name',
  })
  return cases
}

/** A valid record with one field replaced (undefined removes it); a fresh task_id unless the case sets it. */
export function recordWith(c: FieldCase): Record<string, unknown> {
  const record = execution({ task_id: randomUUID() })
  if (c.value === undefined) delete record[c.field]
  else record[c.field] = c.value
  return record
}

/** Hostile values for the query parameters of run_query and the analytics endpoints. */
export const PARAM_CASES: [string, unknown][] = [
  ['range', '2h'],
  ['range', "7d'; DROP TABLE executions; --"],
  ['range', 7],
  ['since', 'yesterday'],
  ['since', "2026-01-01' OR 1=1 --"],
  ['until', '../../etc/passwd'],
  ['repo', ''],
  ['repo', 'x'.repeat(201)],
  ['model_tier', 42],
  ['pool_type', ['a']],
  ['task_type', {}],
  ['bucket', 'minute'],
  ['bucket', 'day; DROP TABLE executions'],
  ['evil', 1],
  ['__proto__', 'x'],
]
