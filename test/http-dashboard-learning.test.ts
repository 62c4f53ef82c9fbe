import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { recordExecutions } from '../src/ingest/record-executions.js'
import { flushDecisions } from '../src/learning/decision-log.js'
import type { Store } from '../src/store.js'
import { withBrowser } from './support/browser.js'
import { execution } from './support/executions.js'
import { getJson, type Json, postJson, withServer } from './support/http-server.js'

const near = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`)

/** History for every panel, 12 routed tasks whose executions came back, half of the decisions two days old. */
async function seed(url: string, store: Store): Promise<void> {
  await recordExecutions(
    store,
    Array.from({ length: 40 }, (_, i) =>
      execution({
        daysAgo: (i % 10) * 0.5 + 0.01,
        model_tier: ['small', 'medium', 'large'][i % 3],
        task_type: ['refactor', 'bug_fix'][i % 2],
        success: i % 5 !== 0,
        error_type: i % 5 === 0 ? ['timeout', 'crash'][i % 2] : null,
        cost_estimate: 0.01 + (i % 4) * 0.01,
        actual_cost: 0.012 + (i % 4) * 0.009,
      }),
    ),
  )
  for (let i = 0; i < 12; i++) {
    const rec = await postJson(`${url}/v1/recommendations`, {
      task_type: 'refactor',
      task_description: `Split module ${i} of the parser`,
      repo: 'orb/api',
      complexity_score: [10, 45, 80][i % 3],
      estimated_tokens: 1000 + i * 100,
      // Restricted candidates spread the choices over the tiers (the share panel then has several series).
      options: {
        policy: { explore: false },
        candidates: { model_tiers: [['small'], ['large'], ['small', 'medium']][i % 3] },
      },
    })
    assert.equal(rec.status, 201, JSON.stringify(rec.body))
    const posted = await postJson(`${url}/v1/executions`, [
      execution({
        task_id: rec.body.task_id,
        model_tier: rec.body.chosen.model_tier,
        pool_type: rec.body.chosen.pool_type,
        success: i % 4 !== 3,
        error_type: i % 4 === 3 ? 'timeout' : null,
        actual_cost: 0.005 + i * 0.002,
      }),
    ])
    assert.equal(posted.status, 201)
  }
  await flushDecisions(store)
  await store.withWriter(async (c) => {
    await c.run(`UPDATE routing_decisions SET timestamp = timestamp - INTERVAL 2 DAY
                 WHERE decision_id IN (SELECT decision_id FROM routing_decisions ORDER BY decision_id LIMIT 6)`)
    await c.run('INSERT INTO feedback (feedback_id, task_id, rating) VALUES ($a, $b, 2)', {
      a: randomUUID(),
      b: randomUUID(),
    })
  })
}

/** The data series of a panel's ECharts instance, as the page drew them. */
function chartSeries(page: Page, id: string): Promise<{ name: string; data: Json[] }[]> {
  return page.evaluate((panelId) => {
    const el = document.querySelector(`[data-panel-id="${panelId}"] .chart`)
    // biome-ignore lint/suspicious/noExplicitAny: the page's global charting library
    const chart = el && (window as any).echarts.getInstanceByDom(el)
    if (!chart) return []
    return chart
      .getOption()
      .series.map((s: { name: string; data: unknown[] }) => ({ name: s.name, data: s.data }))
  }, id)
}

describe('web dashboard: data quality and learning panels in Chromium', () => {
  it('should show the quality score and the router calibration the API returns', () =>
    withServer(async (url, store) => {
      await seed(url, store)
      mkdirSync('test-output', { recursive: true })
      const quality = (await getJson(`${url}/v1/quality`)).body
      const calibration = (await getJson(`${url}/v1/learning/calibration?days=7`)).body
      assert.equal(calibration.joined, 12)
      await withBrowser(async (browser) => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
        const problems: string[] = []
        page.on('pageerror', (e) => problems.push(String(e)))
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
        await page.goto(`${url}/?range=7d`)
        await page.waitForSelector('body[data-generation="1"]')

        const stat = '[data-panel-id="data_quality"]'
        assert.equal(Number(await page.getAttribute(`${stat} .stat-value`, 'data-value')), quality.score)
        assert.ok(quality.score < 100, 'the orphan feedback row lowers the score')
        assert.match(
          (await page.textContent(`${stat} .panel-note`)) ?? '',
          /worst: orphan feedback \(1 critical\)/,
        )

        const reliability = await chartSeries(page, 'learning_reliability')
        const expected = calibration.reliability.map((b: Json) => [
          b.mean_predicted * 100,
          b.observed * 100,
          b.count,
        ])
        assert.equal(reliability[0]?.data.length, expected.length)
        for (const [i, point] of (reliability[0]?.data ?? []).entries()) {
          for (const k of [0, 1, 2]) near(point[k], expected[i][k], `reliability bin ${i}[${k}]`)
        }
        const brier = (await page.textContent('[data-panel-id="learning_reliability"] .panel-note')) ?? ''
        assert.match(brier, new RegExp(`Brier ${calibration.brier.toFixed(3)} · 12 decisions`))

        const [bars] = await chartSeries(page, 'learning_cost')
        // The bar gauge draws its rows bottom-up: actual first, predicted second.
        const values = (bars?.data ?? []).map((d: Json) => d.value).reverse()
        near(values[0], calibration.cost.predicted_total, 'predicted cost')
        near(values[1], calibration.cost.actual_total, 'actual cost')
        const costNote = (await page.textContent('[data-panel-id="learning_cost"] .panel-note')) ?? ''
        assert.match(costNote, new RegExp(`MAPE ${calibration.cost.mape.toFixed(1)} %`))

        const share = await chartSeries(page, 'learning_tier_share')
        const days = [...new Set(calibration.tier_share.map((s: Json) => s.day))].sort()
        assert.equal(days.length, 2, 'decisions on two days')
        assert.ok(share.length >= 2, `several tiers chosen: ${share.map((x) => x.name)}`)
        for (const s of calibration.tier_share) {
          const series = share.find((x) => x.name === s.model_tier)
          assert.ok(series, `series for ${s.model_tier}`)
          near(series.data[days.indexOf(s.day)], s.share * 100, `share of ${s.model_tier} on ${s.day}`)
        }
        for (const day of days) {
          const sum = share.reduce((acc, x) => acc + (x.data[days.indexOf(day)] ?? 0), 0)
          near(sum, 100, `shares of ${day}`)
        }

        // The panels of the issue that were there before: drawn, with the API's rows.
        for (const id of ['cost_calibration', 'heatmap']) {
          assert.ok((await chartSeries(page, id)).length > 0, `${id} is drawn`)
        }
        const errors = (await getJson(`${url}/v1/queries/top_errors?range=7d`)).body.rows
        assert.ok(errors.length > 0)
        assert.equal(await page.locator('[data-panel-id="top_errors"] tbody tr').count(), errors.length)
        const live = (await getJson(`${url}/v1/queries/live_executions?range=7d`)).body.rows
        assert.equal(await page.locator('[data-panel-id="latest_executions"] tbody tr').count(), live.length)
        assert.equal(await page.locator('.panel-message').count(), 0, 'no panel is empty or failing')

        await page.screenshot({ path: 'test-output/dashboard-learning.png', fullPage: true })
        assert.deepEqual(problems, [])
      })
    }))

  it('should say how to get routing decisions when there are none', () =>
    withServer(async (url, store) => {
      await recordExecutions(store, [execution(), execution({ daysAgo: 1 })])
      await withBrowser(async (browser) => {
        const page = await browser.newPage()
        await page.goto(`${url}/?range=7d`)
        await page.waitForSelector('body[data-generation="1"]')
        for (const id of ['learning_reliability', 'learning_cost', 'learning_tier_share']) {
          const text = (await page.textContent(`[data-panel-id="${id}"] .panel-message`)) ?? ''
          assert.match(text, /No routing decisions .*POST \/v1\/recommendations/, id)
        }
        assert.equal(
          Number(await page.getAttribute('[data-panel-id="data_quality"] .stat-value', 'data-value')),
          100,
        )
        assert.equal(await page.textContent('[data-panel-id="data_quality"] .panel-note'), 'all checks pass')
      })
    }))
})
