import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { queryRows } from '../src/db/query-rows.js'
import { recordExecutions } from '../src/ingest/record-executions.js'
import type { Store } from '../src/store.js'
import { execution } from './support/executions.js'
import { callTool, resultText, withMcpClient } from './support/mcp-client.js'
import { countRows, withOpsStore } from './support/ops-store.js'

const API = 'orb/api'
const WEB = 'orb/web'

/** Four executions: three in the last week (two tiers, two pools, two repos), one 120 days old. */
async function seed(store: Store): Promise<Record<string, string>> {
  const ok = execution({ task_id: '00000000-0000-4000-8000-000000000001' })
  const failed = execution({
    task_id: '00000000-0000-4000-8000-000000000002',
    success: false,
    error_type: 'timeout',
    error_message: 'took too long',
    model_tier: 'large',
    duration_seconds: 30,
    cost_estimate: 0.05,
    actual_cost: 0.1,
    peak_memory_mb: 512,
  })
  const web = execution({
    task_id: '00000000-0000-4000-8000-000000000003',
    daysAgo: 3,
    repo: WEB,
    pool_type: 'session-buddy',
    task_type: 'docs',
    task_description: 'Write release notes for version 2',
    solution_summary: 'Summarised the changelog by area',
    quality_score: 90,
  })
  const old = execution({ task_id: '00000000-0000-4000-8000-000000000004', daysAgo: 120 })
  const result = await recordExecutions(store, [ok, failed, web, old])
  assert.equal(result.inserted, 4)
  return { ok: String(ok.task_id), failed: String(failed.task_id), web: String(web.task_id) }
}

/** A seeded store in a temporary data directory with an MCP client holding every scope. */
function withSeededClient(fn: (client: Client, store: Store, ids: Record<string, string>) => Promise<void>) {
  return withOpsStore(async (store) => {
    const ids = await seed(store)
    await withMcpClient(store, (client) => fn(client, store, ids))
  })
}

function ok<T>(result: Awaited<ReturnType<typeof callTool>>): T {
  assert.equal(result.isError, undefined, resultText(result))
  assert.deepEqual(JSON.parse(resultText(result)), result.structuredContent)
  return result.structuredContent as T
}

function refused(result: Awaited<ReturnType<typeof callTool>>, pattern: RegExp): void {
  assert.equal(result.isError, true, `expected an error, got ${resultText(result).slice(0, 200)}`)
  assert.match(resultText(result), pattern)
}

const close = (actual: number | null, expected: number) =>
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-6, `${actual} ≈ ${expected}`)

describe('mcp monitoring tools', () => {
  it('should list all 20 tools of the issue, read tools annotated read-only and only cleanup destructive', () =>
    withOpsStore((store) =>
      withMcpClient(store, async (client) => {
        const { tools } = await client.listTools()
        assert.deepEqual(tools.map((t) => t.name).sort(), [
          'backup_database',
          'cleanup_old_executions',
          'data_quality_report',
          'database_alerts',
          'database_status',
          'execution_statistics',
          'find_similar_executions',
          'get_pool_performance',
          'get_solution_patterns',
          'get_tier_performance',
          'list_queries',
          'performance_metrics',
          'recommend_route',
          'record_execution',
          'record_executions',
          'run_query',
          'storage_stats',
          'submit_feedback',
          'suggest_solutions',
          'validate_backup',
        ])
        const destructive = tools.filter((t) => t.annotations?.destructiveHint === true).map((t) => t.name)
        assert.deepEqual(destructive, ['cleanup_old_executions'])
        for (const name of [
          'execution_statistics',
          'performance_metrics',
          'get_tier_performance',
          'suggest_solutions',
        ])
          assert.equal(tools.find((t) => t.name === name)?.annotations?.readOnlyHint, true, name)
        const range = tools.find((t) => t.name === 'performance_metrics')!.inputSchema.properties?.time_range
        assert.deepEqual((range as { enum: string[] }).enum, ['1h', '24h', '7d', '30d', '90d'])
      }),
    ))

  it('should report execution statistics over an allow-listed time range, and refuse another range', () =>
    withSeededClient(async (client) => {
      type Stats = {
        time_range: string
        time_series: { executions: number }[]
        by_model_tier: { model_tier: string; executions: number; success_rate: number }[]
        by_pool_type: { pool_type: string; executions: number }[]
        top_repositories: { repo: string; executions: number }[]
        by_task_type: { task_type: string; executions: number }[]
        performance: {
          total_executions: number
          successful: number
          success_rate: number
          total_cost: number
        }
      }
      const week = ok<Stats>(await callTool(client, 'execution_statistics', { time_range: '7d' }))
      assert.equal(week.time_range, '7d')
      assert.equal(week.performance.total_executions, 3)
      assert.equal(week.performance.successful, 2)
      close(week.performance.success_rate, 200 / 3)
      close(week.performance.total_cost, 0.15)
      assert.equal(
        week.time_series.reduce((n, b) => n + b.executions, 0),
        3,
      )
      const large = week.by_model_tier.find((t) => t.model_tier === 'large')
      assert.deepEqual([large?.executions, large?.success_rate], [1, 0])
      assert.deepEqual(
        week.top_repositories.map((r) => [r.repo, r.executions]),
        [
          [API, 2],
          [WEB, 1],
        ],
      )
      assert.deepEqual(week.by_pool_type.map((p) => p.pool_type).sort(), ['mahavishnu', 'session-buddy'])
      assert.deepEqual(week.by_task_type.map((t) => t.task_type).sort(), ['docs', 'refactor'])
      const day = ok<Stats>(await callTool(client, 'execution_statistics', { time_range: '24h', repo: API }))
      assert.equal(day.performance.total_executions, 2)
      refused(await callTool(client, 'execution_statistics', { time_range: '2h' }), /time_range/)
      refused(
        await callTool(client, 'execution_statistics', { time_range: "7d'; DROP TABLE x" }),
        /time_range/,
      )
    }))

  it('should report performance metrics with the original duration, cost and resource fields', () =>
    withSeededClient(async (client) => {
      type Metrics = {
        executions: number
        duration: { avg_seconds: number; p50_seconds: number; p99_seconds: number }
        cost: { total_cost: number; avg_cost: number; avg_savings: number }
        resources: { avg_memory_mb: number; p95_memory_mb: number }
        by_model_tier: { model_tier: string; executions: number; p50_seconds: number; avg_cost: number }[]
      }
      const m = ok<Metrics>(await callTool(client, 'performance_metrics', {}))
      assert.equal(m.executions, 3)
      close(m.duration.avg_seconds, (12.5 + 30 + 12.5) / 3)
      close(m.duration.p50_seconds, 12.5)
      close(m.cost.total_cost, 0.15)
      close(m.cost.avg_cost, 0.05)
      close(m.cost.avg_savings, (0.02 + 0.05 + 0.02 - 0.15) / 3)
      close(m.resources.avg_memory_mb, (256 + 512 + 256) / 3)
      const large = m.by_model_tier.find((t) => t.model_tier === 'large')!
      assert.equal(large.executions, 1)
      close(large.p50_seconds, 30)
      close(large.avg_cost, 0.1)
      const quarter = ok<Metrics>(await callTool(client, 'performance_metrics', { time_range: '90d' }))
      assert.equal(quarter.executions, 3, 'the 120-day-old execution is outside 90d')
      refused(await callTool(client, 'performance_metrics', { time_range: '1y' }), /time_range/)
      refused(await callTool(client, 'performance_metrics', { model_tier: '' }), /model_tier/)
    }))

  it('should report data quality with real counts', () =>
    withSeededClient(async (client) => {
      const q = ok<{
        rows: number
        feedback_rows: number
        score: number
        checks: { name: string; affected: number }[]
      }>(await callTool(client, 'data_quality_report'))
      assert.equal(q.rows, 4)
      assert.equal(q.feedback_rows, 0)
      assert.equal(q.checks.find((c) => c.name === 'duplicate_task_ids')?.affected, 0)
      assert.ok(q.score >= 0 && q.score <= 100)
    }))

  it('should report tier performance per repo, tier, task type and day', () =>
    withSeededClient(async (client) => {
      type Row = {
        repo: string
        model_tier: string
        task_type: string
        total_executions: number
        successful_count: number
      }
      const all = ok<{ rows: Row[] }>(await callTool(client, 'get_tier_performance', {})).rows
      assert.equal(
        all.reduce((n, r) => n + r.total_executions, 0),
        3,
      )
      const large = all.find((r) => r.model_tier === 'large')!
      assert.deepEqual(
        [large.repo, large.task_type, large.total_executions, large.successful_count],
        [API, 'refactor', 1, 0],
      )
      const web = ok<{ rows: Row[] }>(
        await callTool(client, 'get_tier_performance', { repo: WEB, days: 7 }),
      ).rows
      assert.deepEqual(
        web.map((r) => [r.repo, r.model_tier, r.task_type, r.total_executions]),
        [[WEB, 'medium', 'docs', 1]],
      )
      const long = ok<{ rows: Row[] }>(await callTool(client, 'get_tier_performance', { days: 365 })).rows
      assert.equal(
        long.reduce((n, r) => n + r.total_executions, 0),
        4,
      )
      refused(await callTool(client, 'get_tier_performance', { days: 0 }), /days/)
      refused(await callTool(client, 'get_tier_performance', { tier: 'large' }), /tier/)
    }))

  it('should report pool performance per pool, repo and hour', () =>
    withSeededClient(async (client) => {
      type Row = {
        pool_type: string
        repo: string
        total_tasks: number
        successful_tasks: number
        success_rate: number
      }
      const rows = ok<{ rows: Row[] }>(await callTool(client, 'get_pool_performance', {})).rows
      const main = rows.filter((r) => r.pool_type === 'mahavishnu')
      assert.equal(
        main.reduce((n, r) => n + r.total_tasks, 0),
        2,
      )
      assert.equal(
        main.reduce((n, r) => n + r.successful_tasks, 0),
        1,
      )
      assert.deepEqual(
        rows
          .filter((r) => r.pool_type === 'session-buddy')
          .map((r) => [r.repo, r.total_tasks, r.success_rate]),
        [[WEB, 1, 1]],
      )
      refused(await callTool(client, 'get_pool_performance', { days: 1.5 }), /days/)
    }))
})

describe('mcp solution and learning tools', () => {
  it('should list solution patterns used repeatedly, and suggest solutions for a task', () =>
    withSeededClient(async (client) => {
      type Pattern = {
        solution_summary: string
        repo: string
        usage_count: number
        success_rate: number
        last_seen: string
      }
      const patterns = ok<{ patterns: Pattern[] }>(
        await callTool(client, 'get_solution_patterns', { minUsage: 2, days: 30 }),
      ).patterns
      assert.deepEqual(
        patterns.map((p) => [p.solution_summary, p.repo, p.usage_count, p.success_rate]),
        [['Split parse() into tokenize() and build()', API, 2, 0.5]],
      )
      assert.ok(!Number.isNaN(Date.parse(patterns[0]!.last_seen)))
      refused(await callTool(client, 'get_solution_patterns', { minUsage: 0 }), /minUsage/)

      type Suggestion = { solution_summary: string; evidence_count: number; task_ids: string[] }
      const suggestions = ok<{ suggestions: Suggestion[] }>(
        await callTool(client, 'suggest_solutions', { text: 'Refactor the JSON parser', minSimilarity: 0.2 }),
      ).suggestions
      assert.equal(suggestions[0]?.solution_summary, 'Split parse() into tokenize() and build()')
      assert.ok(suggestions[0]!.evidence_count >= 2)
      refused(await callTool(client, 'suggest_solutions', { text: '   ' }), /text/)
    }))

  it('should recommend a route among the candidates, refuse an unknown tier, and take feedback on it', () =>
    withSeededClient(async (client, store, ids) => {
      const task = {
        task_type: 'refactor',
        task_description: 'Split the JSON parser',
        repo: API,
        complexity_score: 40,
      }
      type Recommendation = {
        task_id: string
        chosen: { model_tier: string; pool_type: string }
        options: unknown[]
        explanation: string
      }
      const r = ok<Recommendation>(
        await callTool(client, 'recommend_route', {
          ...task,
          options: { candidates: { model_tiers: ['medium', 'large'], pool_types: ['mahavishnu'] } },
        }),
      )
      assert.ok(['medium', 'large'].includes(r.chosen.model_tier))
      assert.equal(r.chosen.pool_type, 'mahavishnu')
      assert.equal(r.options.length, 2)
      assert.ok(r.explanation.length > 0)
      refused(
        await callTool(client, 'recommend_route', {
          ...task,
          options: { candidates: { model_tiers: ['gigantic'] } },
        }),
        /options\.candidates\.model_tiers: unknown tier "gigantic"/,
      )
      refused(
        await callTool(client, 'recommend_route', { ...task, complexity_score: 101 }),
        /complexity_score/,
      )

      // Feedback on the routed task is kept until its execution reports; on a stored task it is recorded.
      type Fb = { status: string; task_id: string; message: string; impact: string; satisfaction: string }
      const pending = ok<Fb>(
        await callTool(client, 'submit_feedback', { task_id: r.task_id, satisfaction: 'good' }),
      )
      assert.equal(pending.status, 'pending_execution')
      const recorded = ok<Fb>(
        await callTool(client, 'submit_feedback', {
          task_id: ids.failed!,
          satisfaction: 'poor',
          issue_type: 'wrong_model',
          rating: 2,
        }),
      )
      assert.deepEqual([recorded.status, recorded.task_id], ['recorded', ids.failed])
      assert.match(recorded.message, /Thank you/)
      assert.match(recorded.impact, /lowers the chosen tier's predicted success/)
      const [row] = await store.read((c) =>
        queryRows<{ user_rating: number }>(
          c,
          'SELECT user_rating FROM executions WHERE task_id = $id::UUID',
          { id: ids.failed! },
        ),
      )
      assert.equal(row?.user_rating, 2)
      assert.equal(await countRows(store, 'feedback'), 2)
      refused(
        await callTool(client, 'submit_feedback', { task_id: ids.ok!, satisfaction: 'poor' }),
        /issue_type is required/,
      )
      refused(
        await callTool(client, 'submit_feedback', { task_id: 'not-a-uuid', satisfaction: 'good' }),
        /task_id/,
      )
      refused(
        await callTool(client, 'submit_feedback', {
          task_id: '00000000-0000-4000-8000-0000000000ff',
          rating: 5,
        }),
        /not_found: task_id .* has no execution/,
      )
      refused(
        await callTool(client, 'submit_feedback', { task_id: ids.failed!, rating: 3 }),
        /conflict: duplicate feedback/,
      )
      // The original's yes/no questions stand in for satisfaction.
      const answered = ok<Fb>(
        await callTool(client, 'submit_feedback', {
          task_id: ids.ok!,
          model_appropriate: true,
          speed_acceptable: true,
          expectations_met: true,
        }),
      )
      assert.equal(answered.satisfaction, 'excellent')
      assert.match(answered.impact, /positive feedback reinforces/)
      assert.equal(await countRows(store, 'feedback'), 3)
    }))
})

describe('mcp ops tools: backup, validate, cleanup', () => {
  it('should back up into the data directory and validate the backup; paths outside are refused', () =>
    withSeededClient(async (client) => {
      type Backup = {
        file: string
        file_in_data_dir: string
        record_count: number
        tables: Record<string, { rows: number }>
      }
      const b = ok<Backup>(await callTool(client, 'backup_database'))
      assert.match(b.file_in_data_dir, /^backups[\\/]learning_db_backup_\d{8}_\d{6}\.duckdb$/)
      assert.equal(b.record_count, 4)
      assert.equal(b.tables.executions?.rows, 4)
      assert.ok(existsSync(b.file))
      type Validation = { valid: boolean; record_count: number; problems: string[] }
      const v = ok<Validation>(await callTool(client, 'validate_backup', { file: b.file_in_data_dir }))
      assert.deepEqual([v.valid, v.record_count, v.problems], [true, 4, []])
      refused(await callTool(client, 'backup_database', { dir: '../outside' }), /dir must not contain '\.\.'/)
      refused(
        await callTool(client, 'backup_database', { dir: '/etc' }),
        /dir must lie inside the data directory/,
      )
      refused(
        await callTool(client, 'validate_backup', { file: '../../etc/passwd' }),
        /file must not contain '\.\.'/,
      )
      refused(
        await callTool(client, 'validate_backup', { file: 'learning.duckdb' }),
        /file must not be the live database/,
      )
      refused(
        await callTool(client, 'validate_backup', { file: 'backups/notes.txt' }),
        /file must name a backup/,
      )
      refused(await callTool(client, 'validate_backup', {}), /file/)
    }))

  it('should delete old executions only with confirm: true, archiving them first', () =>
    withSeededClient(async (client, store) => {
      const { tools } = await client.listTools()
      const cleanup = tools.find((t) => t.name === 'cleanup_old_executions')!
      assert.equal(cleanup.annotations?.destructiveHint, true)
      assert.ok(cleanup.inputSchema.required?.includes('confirm'))
      refused(await callTool(client, 'cleanup_old_executions', { days: 90 }), /confirm/)
      refused(await callTool(client, 'cleanup_old_executions', { days: 90, confirm: false }), /confirm/)
      refused(await callTool(client, 'cleanup_old_executions', { days: 0, confirm: true }), /days/)
      refused(await callTool(client, 'cleanup_old_executions', { days: '90; DELETE', confirm: true }), /days/)
      assert.equal(await countRows(store, 'executions'), 4)
      type Cleanup = {
        archived_count: number
        deleted_count: number
        days_cleaned: number
        archive_file: string
      }
      const r = ok<Cleanup>(await callTool(client, 'cleanup_old_executions', { days: 90, confirm: true }))
      assert.deepEqual([r.archived_count, r.deleted_count, r.days_cleaned], [1, 1, 90])
      assert.ok(existsSync(r.archive_file))
      assert.equal(await countRows(store, 'executions'), 3)
      const again = ok<Cleanup>(await callTool(client, 'cleanup_old_executions', { confirm: true }))
      assert.equal(again.deleted_count, 0)
    }))

  it('should require the admin scope for backup, validate and cleanup, and let admin call read tools', () =>
    withOpsStore(async (store) => {
      await seed(store)
      await withMcpClient(
        store,
        async (client) => {
          for (const [name, args] of [
            ['backup_database', {}],
            ['validate_backup', { file: 'backups/learning_db_backup_20260101_000000.duckdb' }],
            ['cleanup_old_executions', { confirm: true }],
          ] as const)
            refused(await callTool(client, name, args), new RegExp(`tool ${name} needs the 'admin' scope`))
          assert.equal(await countRows(store, 'executions'), 4)
          assert.equal(existsSync(join(store.config.dataDir, 'backups')), false)
        },
        { scopes: new Set(['read', 'write']) },
      )
      await withMcpClient(
        store,
        async (client) => {
          ok(await callTool(client, 'execution_statistics'))
        },
        { scopes: new Set(['admin']) },
      )
    }))
})
