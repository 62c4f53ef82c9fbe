import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { EMBEDDING_DIMENSIONS, MAX_METADATA_BYTES, validateExecution } from '../src/record.js'
import { execution } from './support/executions.js'
import { withStore } from './support/temp-store.js'

const now = new Date('2026-06-01T12:00:00Z')
const base = () => execution({ timestamp: new Date(now.getTime() - 60_000).toISOString() })
type Case = [field: string, value: unknown, message?: RegExp]

function check(field: string, value: unknown): ReturnType<typeof validateExecution> {
  return validateExecution({ ...base(), [field]: value }, now)
}

function metadataOfBytes(bytes: number): Record<string, string> {
  const empty = JSON.stringify({ p: '' }).length
  return { p: 'x'.repeat(bytes - empty) }
}

const NAMES = ['task_type', 'repo', 'model_tier', 'pool_type']
const NULLABLE_NAMES = ['swarm_topology', 'error_type']
const TEXTS = ['error_message', 'solution_summary']
const COUNTS = ['file_count', 'estimated_tokens']
const NON_NEGATIVE = [
  'duration_seconds',
  'cost_estimate',
  'actual_cost',
  'peak_memory_mb',
  'cpu_time_seconds',
]
const REQUIRED = [...NAMES, 'task_description', 'routing_confidence', 'complexity_score', 'success'].concat([
  'duration_seconds',
  'cost_estimate',
  'actual_cost',
])

const INSIDE: Case[] = [
  ...[...NAMES, ...NULLABLE_NAMES].flatMap((f): Case[] => [
    [f, 'x'.repeat(200)],
    [f, 'ü'],
  ]),
  ...NULLABLE_NAMES.map((f): Case => [f, null]),
  ['task_description', 'x'.repeat(10_000)],
  ...TEXTS.flatMap((f): Case[] => [
    [f, 'x'.repeat(10_000)],
    [f, ''],
    [f, null],
  ]),
  ...COUNTS.flatMap((f): Case[] => [
    [f, 0],
    [f, 2_147_483_647],
  ]),
  ['routing_confidence', 0],
  ['routing_confidence', 1],
  ['complexity_score', 0],
  ['complexity_score', 100],
  ['quality_score', 0],
  ['quality_score', 100],
  ['quality_score', null],
  ['user_rating', 1],
  ['user_rating', 5],
  ...NON_NEGATIVE.flatMap((f): Case[] => [
    [f, 0],
    [f, 1e30],
  ]),
  ['task_id', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
  ['task_id', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'],
  ['timestamp', new Date(now.getTime() + 5 * 60_000 - 1).toISOString()],
  ['timestamp', '2026-01-01'],
  ['embedding', new Array(EMBEDDING_DIMENSIONS).fill(0.5)],
  ['metadata', {}],
  ['metadata', metadataOfBytes(MAX_METADATA_BYTES)],
]

const OUTSIDE: Case[] = [
  ...NAMES.flatMap((f): Case[] => [
    [f, 'x'.repeat(201), new RegExp(`^${f} must be at most 200 characters, got 201`)],
    [f, '', new RegExp(`^${f} must not be empty`)],
    [f, '   ', new RegExp(`^${f} must not be empty`)],
    [f, 42, new RegExp(`^${f} must be a string, got 42`)],
  ]),
  ...NULLABLE_NAMES.map((f): Case => [f, 'x'.repeat(201), new RegExp(`^${f} must be at most 200`)]),
  ['task_description', 'x'.repeat(10_001), /^task_description must be at most 10000 characters, got 10001/],
  ['task_description', 'x'.repeat(10 * 1024 * 1024), /^task_description must be at most 10000 characters/],
  ['solution_summary', 'x'.repeat(10 * 1024 * 1024), /^solution_summary must be at most 10000 characters/],
  ...TEXTS.map((f): Case => [f, 'x'.repeat(10_001), new RegExp(`^${f} must be at most 10000 characters`)]),
  ...COUNTS.flatMap((f): Case[] => [
    [f, -1, new RegExp(`^${f} must be >= 0, got -1`)],
    [f, 2_147_483_648, new RegExp(`^${f} must be <= 2147483647`)],
    [f, 1.5, new RegExp(`^${f} must be an integer, got 1.5`)],
    [f, '3', new RegExp(`^${f} must be a number, got "3"`)],
  ]),
  ['routing_confidence', -0.0001, /^routing_confidence must be between 0 and 1, got -0.0001/],
  ['routing_confidence', 1.0001, /^routing_confidence must be between 0 and 1, got 1.0001/],
  ['routing_confidence', Number.NaN, /^routing_confidence must be a finite number, got NaN/],
  ['routing_confidence', '0.5', /^routing_confidence must be a number, got "0.5"/],
  ['complexity_score', -1, /^complexity_score must be between 0 and 100, got -1/],
  ['complexity_score', 101, /^complexity_score must be between 0 and 100, got 101/],
  ['complexity_score', 50.5, /^complexity_score must be an integer, got 50.5/],
  ['quality_score', 101, /^quality_score must be between 0 and 100, got 101/],
  ['user_rating', 0, /^user_rating must be between 1 and 5, got 0/],
  ['user_rating', 6, /^user_rating must be between 1 and 5, got 6/],
  ...NON_NEGATIVE.flatMap((f): Case[] => [
    [f, -0.001, new RegExp(`^${f} must be >= 0, got -0.001`)],
    [f, -0, new RegExp(`^${f} must be >= 0, got -0`)],
    [f, Number.NaN, new RegExp(`^${f} must be a finite number, got NaN`)],
    [f, Number.POSITIVE_INFINITY, new RegExp(`^${f} must be a finite number, got Infinity`)],
    [f, '1.5', new RegExp(`^${f} must be a number, got "1.5"`)],
  ]),
  ['success', 'true', /^success must be a boolean, got "true"/],
  ['success', 1, /^success must be a boolean, got 1/],
  ['user_accepted', 'yes', /^user_accepted must be a boolean/],
  ['task_id', 'not-a-uuid', /^task_id must be a valid UUID, got "not-a-uuid"/],
  ['task_id', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1', /^task_id must be a valid UUID/],
  ['task_id', 12, /^task_id must be a string, got 12/],
  [
    'timestamp',
    new Date(now.getTime() + 5 * 60_000 + 1000).toISOString(),
    /^timestamp must not be more than 5 minutes in the future/,
  ],
  ['timestamp', '2999-01-01T00:00:00Z', /^timestamp must not be more than 5 minutes in the future/],
  ['timestamp', 'yesterday', /^timestamp must be an ISO 8601 date-time, got "yesterday"/],
  ['timestamp', 1_700_000_000_000, /^timestamp has the wrong type, got 1700000000000/],
  [
    'embedding',
    new Array(EMBEDDING_DIMENSIONS - 1).fill(0.5),
    /^embedding must have 384 dimensions, got 383/,
  ],
  [
    'embedding',
    [...new Array(EMBEDDING_DIMENSIONS - 1).fill(0.5), Number.NaN],
    /^embedding must contain only finite numbers/,
  ],
  ['metadata', [1, 2], /^metadata must be a JSON object, got an array of 2/],
  ['metadata', 'text', /^metadata must be a JSON object, got "text"/],
  ['metadata', 5, /^metadata must be a JSON object, got 5/],
  ['metadata', metadataOfBytes(MAX_METADATA_BYTES + 1), /^metadata must serialise to at most 65536 bytes/],
  ['surprise', 1, /^unknown field "surprise" \(extra data belongs in metadata\)/],
]

describe('validateExecution rules', () => {
  for (const [field, value] of INSIDE) {
    it(`should accept ${field} = ${describe_(value)} (just inside)`, () => {
      const v = check(field, value)
      assert.ok(v.ok, v.ok ? '' : v.error)
    })
  }
  for (const [field, value, message] of OUTSIDE) {
    it(`should reject ${field} = ${describe_(value)} naming field and value`, () => {
      const v = check(field, value)
      assert.equal(v.ok, false)
      if (!v.ok) assert.match(v.error, message!)
    })
  }
  for (const field of REQUIRED) {
    it(`should reject a record without ${field} as required`, () => {
      const record: Record<string, unknown> = base()
      delete record[field]
      const v = validateExecution(record, now)
      assert.equal(v.ok, false)
      if (!v.ok) assert.equal(v.error, `${field} is required`)
    })
  }
  it('should reject a record that is not an object', () => {
    for (const input of [null, 'record', 42, [base()]]) assert.equal(validateExecution(input, now).ok, false)
  })

  it('should apply the defaults: task_id v4, timestamp now, counts 0', () => {
    const record: Record<string, unknown> = base()
    for (const f of ['task_id', 'timestamp', 'file_count', 'estimated_tokens']) delete record[f]
    const v = validateExecution(record, now)
    assert.ok(v.ok)
    if (!v.ok) return
    assert.match(v.execution.task_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.deepEqual(
      [v.execution.timestamp, v.execution.file_count, v.execution.estimated_tokens],
      [now, 0, 0],
    )
  })

  it('should accept routing_confidence exactly when it is a number in [0, 1] (property)', () => {
    fc.assert(
      fc.property(
        fc.double(),
        (x) => check('routing_confidence', x).ok === (Number.isFinite(x) && x >= 0 && x <= 1),
      ),
    )
  })

  it('should accept complexity_score exactly when it is an integer in [0, 100] (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double()),
        (x) => check('complexity_score', x).ok === (Number.isInteger(x) && x >= 0 && x <= 100),
      ),
    )
  })

  it('should keep any unicode string of allowed length verbatim (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 50 }), (s) => {
        const v = check('task_description', `x${s}`)
        return v.ok && v.execution.task_description === `x${s}`
      }),
    )
  })
})

describe('invalid records through recordExecutions', () => {
  it('should reject every bad case with a field-naming message and write nothing', () =>
    withStore(async (store) => {
      // Future timestamps of OUTSIDE are relative to a fixed past `now`: keep only the absolute one here.
      const relevant = OUTSIDE.filter(([f, v]) => f !== 'timestamp' || !/^2026-06/.test(String(v)))
      const records = relevant
        .filter(([, value]) => typeof value !== 'string' || value.length < 1_000_000)
        .map(([field, value]) => ({ ...execution(), [field]: value }))
      const result = await recordExecutions(store, records)
      assert.equal(result.inserted, 0)
      assert.equal(result.rejected.length, records.length)
      const [row] = await store.read((c) =>
        queryRows<{ n: number }>(c, 'SELECT count(*) AS n FROM executions'),
      )
      assert.equal(row?.n, 0)
    }))

  it('should also refuse bad values at the database (CHECK constraints) when SQL bypasses validation', () =>
    withStore(async (store) => {
      await assert.rejects(
        store.withWriter((c) =>
          c.run(`INSERT INTO executions (task_id, timestamp, task_type, task_description, repo, model_tier, pool_type,
              routing_confidence, complexity_score, success, duration_seconds, cost_estimate, actual_cost)
            VALUES (uuid(), now()::TIMESTAMP, 't', 'd', 'r', 'm', 'p', 1.7, 50, true, 1, 0, 0)`),
        ),
        /CHECK constraint/i,
      )
    }))
})

function describe_(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 20 ? `a string of ${value.length}` : JSON.stringify(value)
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === 'object' && value !== null) return `an object of ${JSON.stringify(value).length} bytes`
  return Object.is(value, -0) ? '-0' : String(value)
}
