import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DuckDBInstance } from '@duckdb/node-api'
import { jsonRows } from '../src/analytics/json-rows.js'

async function rowsOf(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:')
  const conn = await instance.connect()
  try {
    await conn.run("SET TimeZone = 'UTC'")
    return await jsonRows(await conn.run(sql))
  } finally {
    conn.closeSync()
    instance.closeSync()
  }
}

describe('jsonRows', () => {
  it('should turn every column type a query returns into JSON-friendly values', async () => {
    const rows = await rowsOf(`SELECT * FROM (VALUES
      (1::BIGINT, 2.5::DOUBLE, 1.25::FLOAT, 7::INTEGER, 3::SMALLINT, 1::TINYINT, 'a', true,
       TIMESTAMP '2026-03-10 12:00:00', DATE '2026-03-10', 0.1::DECIMAL(18,6), [1.5, 2.5]::DOUBLE[]),
      (NULL, 'NaN'::DOUBLE, 'inf'::FLOAT, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
      (-9007199254740991::BIGINT, '-inf'::DOUBLE, NULL, -1, -2, -3, 'ü', false,
       TIMESTAMP '2026-03-10 12:00:00', DATE '1970-01-01', -2.5::DECIMAL(18,6), [])
    ) t(b, d, f, i, s, ti, v, bo, ts, dt, dec, list)`)
    assert.deepEqual(rows, [
      {
        b: 1,
        d: 2.5,
        f: 1.25,
        i: 7,
        s: 3,
        ti: 1,
        v: 'a',
        bo: true,
        ts: '2026-03-10T12:00:00.000Z',
        dt: '2026-03-10T00:00:00.000Z',
        dec: 0.1,
        list: [1.5, 2.5],
      },
      {
        b: null,
        d: null,
        f: null,
        i: null,
        s: null,
        ti: null,
        v: null,
        bo: null,
        ts: null,
        dt: null,
        dec: null,
        list: null,
      },
      {
        b: -9007199254740991,
        d: null,
        f: null,
        i: -1,
        s: -2,
        ti: -3,
        v: 'ü',
        bo: false,
        ts: '2026-03-10T12:00:00.000Z',
        dt: '1970-01-01T00:00:00.000Z',
        dec: -2.5,
        list: [],
      },
    ])
  })

  it('should read results longer than one chunk and name repeated columns apart', async () => {
    const rows = await rowsOf(
      `SELECT range AS n, range AS n, TIMESTAMP '2026-01-01' + to_hours(range % 3) AS ts FROM range(5000)`,
    )
    assert.equal(rows.length, 5000)
    assert.deepEqual(rows[4999], { n: 4999, 'n:1': 4999, ts: '2026-01-01T01:00:00.000Z' })
    assert.deepEqual(rows[2051], { n: 2051, 'n:1': 2051, ts: '2026-01-01T02:00:00.000Z' })
  })
})
