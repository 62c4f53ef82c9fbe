// Panel frames and the non-chart renderers (stat, table); chart kinds delegate to charts.js.
import {
  barGaugeOption,
  calibrationOption,
  donutOption,
  shareOption,
  drawChart,
  gaugeOption,
  heatmapOption,
  timeseriesOption,
} from './charts.js'
import { COLORS, formatValue, thresholdColor } from './format.js'

const CHARTS = {
  timeseries: timeseriesOption,
  bargauge: barGaugeOption,
  donut: donutOption,
  gauge: gaugeOption,
  heatmap: heatmapOption,
  calibration: calibrationOption,
  share: shareOption,
}

/** Build the empty frame of a panel: title, body, and the hooks tests and styles use. */
export function createPanel(panel) {
  const el = document.createElement('article')
  el.className = `panel panel-${panel.kind}`
  el.dataset.panelId = panel.id
  el.style.setProperty('--span', String(panel.span ?? 4))
  const head = document.createElement('h3')
  head.textContent = panel.title
  if (panel.description) head.title = panel.description
  const body = document.createElement('div')
  body.className = 'panel-body'
  el.append(head, body)
  return el
}

/** Draw a panel's rows into its frame (first time or on refresh). */
export function renderPanel(el, panel) {
  const body = el.querySelector('.panel-body')
  renderNote(el, panel.error ? undefined : panel.note)
  el.classList.toggle('has-error', Boolean(panel.error))
  if (panel.error) return showMessage(body, panel.error, 'error')
  const isEmpty = panel.rows.length === 0 || (panel.kind === 'stat' && panel.rows[0]?.value == null)
  if (isEmpty && panel.kind !== 'stat' && panel.kind !== 'gauge') return showMessage(body, panel.empty ?? 'No data in this range')
  if (panel.kind === 'stat') return renderStat(body, panel)
  if (panel.kind === 'table') return renderTable(body, panel)
  const make = CHARTS[panel.kind]
  if (!make) return showMessage(body, `unknown panel kind ${panel.kind}`, 'error')
  clearMessage(body)
  let canvas = body.querySelector('.chart')
  if (!canvas) {
    canvas = document.createElement('div')
    canvas.className = 'chart'
    body.append(canvas)
  }
  if (panel.kind === 'heatmap') {
    const lanes = new Set(panel.rows.map((r) => r[panel.fields[0]])).size
    canvas.style.height = `${Math.max(160, 70 + lanes * 30)}px`
  }
  drawChart(canvas, make(panel, { width: canvas.clientWidth || 300, height: canvas.clientHeight || 200 }))
}

// One line under the panel (Brier score, MAPE, the worst data-quality check); removed when a refresh has none.
function renderNote(el, text) {
  let node = el.querySelector('.panel-note')
  if (!text) return node?.remove()
  if (!node) {
    node = document.createElement('p')
    node.className = 'panel-note'
    el.append(node)
  }
  node.textContent = text
}

function renderStat(body, panel) {
  const value = panel.rows[0]?.value ?? null
  clearMessage(body)
  let node = body.querySelector('.stat-value')
  if (!node) {
    node = document.createElement('div')
    node.className = 'stat-value'
    body.append(node)
  }
  node.textContent = formatValue(value, panel.unit, panel.decimals)
  node.dataset.value = value === null ? '' : String(value)
  node.style.color = thresholdColor(value, panel.thresholds) ?? ''
  body.style.setProperty('--accent', thresholdColor(value, panel.thresholds) ?? COLORS.blue)
}

function renderTable(body, panel) {
  clearMessage(body)
  const columns = panel.columns ?? Object.keys(panel.rows[0] ?? {}).map((key) => ({ key, label: key }))
  const table = document.createElement('table')
  const head = table.createTHead().insertRow()
  for (const col of columns) {
    const th = document.createElement('th')
    th.textContent = col.label
    if (col.unit && col.unit !== 'time') th.className = 'num'
    head.append(th)
  }
  const tbody = table.createTBody()
  for (const row of panel.rows) {
    const tr = tbody.insertRow()
    for (const col of columns) {
      const td = tr.insertCell()
      const value = row[col.key]
      td.textContent = formatValue(value, col.unit, col.decimals)
      if (col.unit && col.unit !== 'time') td.className = 'num'
      if (typeof value === 'boolean') td.className = value ? 'ok' : 'bad'
      const color = thresholdColor(value, col.thresholds)
      if (color) {
        td.style.color = color
        td.classList.add('colored')
      }
    }
  }
  const wrap = document.createElement('div')
  wrap.className = 'table-wrap'
  wrap.append(table)
  body.replaceChildren(wrap)
}

function showMessage(body, text, kind = 'empty') {
  const chart = body.querySelector('.chart')
  if (chart) window.echarts.getInstanceByDom(chart)?.dispose()
  const node = document.createElement('div')
  node.className = `panel-message ${kind}`
  node.textContent = text
  body.replaceChildren(node)
}

function clearMessage(body) {
  body.querySelector('.panel-message')?.remove()
}
