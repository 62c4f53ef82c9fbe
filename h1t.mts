import { DuckDBInstance } from '@duckdb/node-api'
const db = await DuckDBInstance.create(':memory:')
const c = await db.connect()
const tryq = async (q: string, v?: any) => { try { const r = await c.runAndReadAll(q, v); console.log('OK', q.slice(0,80), JSON.stringify(r.getRowObjectsJS(), (_k, x) => typeof x === 'bigint' ? Number(x) : x).slice(0, 300)) } catch (e) { console.log('ERR', q.slice(0,80), String(e).slice(0, 200)) } }
await tryq(`CREATE TABLE t AS SELECT 1 AS a, ''::VARCHAR AS s, NULL::VARCHAR AS n, [0.1::FLOAT, 1e-8::FLOAT, 3.4028235e38::FLOAT]::FLOAT[3] AS e, '{"x":1}'::JSON AS m, TIMESTAMP '2026-01-01 10:00:00.123' AS ts, 0.8::FLOAT f`)
await tryq(`COPY t TO $p (FORMAT csv)`, { p: '/tmp/h1t.csv' })
await tryq(`COPY (SELECT * FROM t WHERE a >= $a) TO '/tmp/h1t.csv' (FORMAT csv, HEADER)`, { a: 0 })
await tryq(`COPY (SELECT * FROM t) TO '/tmp/h1t.json' (FORMAT json)`)
await tryq(`COPY (SELECT * FROM t) TO '/tmp/h1t.parquet' (FORMAT parquet)`)
await tryq(`SELECT * FROM read_csv($f, all_varchar = true)`, { f: '/tmp/h1t.csv' })
await tryq(`SELECT * FROM read_parquet($f)`, { f: '/tmp/h1t.parquet' })
await tryq(`SELECT count(*) FROM read_csv('/tmp/h1t.csv', all_varchar=true)`)
await tryq(`SELECT num_rows FROM parquet_file_metadata($f)`, { f: '/tmp/h1t.parquet' })
