// The dashboard page: state in the URL, one /v1/dashboard call per refresh, panels grouped by section.
import { formatTime } from './format.js'
import { createPanel, renderPanel } from './panels.js'

const RANGES = ['1h', '24h', '7d', '30d', '90d']
const FILTERS = ['repo', 'model_tier', 'pool_type', 'task_type']
const REFRESHES = ['0', '10', '30', '60', '300']

const controls = document.getElementById('controls')
const main = document.getElementById('panels')
const statusLine = document.getElementById('status')
const frames = new Map()
let timer
let generation = 0
let inFlight
let lastData
let resizeTimer

const state = readState()

function readState() {
  const url = new URL(location.href)
  const range = url.searchParams.get('range')
  const refresh = url.searchParams.get('refresh') ?? document.body.dataset.refresh ?? '60'
  const s = { range: RANGES.includes(range) ? range : '24h', refresh: REFRESHES.includes(refresh) ? refresh : '60' }
  for (const f of FILTERS) s[f] = url.searchParams.get(f) ?? ''
  return s
}

function writeState() {
  const url = new URL(location.href)
  url.search = ''
  url.searchParams.set('range', state.range)
  for (const f of FILTERS) if (state[f]) url.searchParams.set(f, state[f])
  if (state.refresh !== (document.body.dataset.refresh ?? '60')) url.searchParams.set('refresh', state.refresh)
  history.replaceState(null, '', url)
}

function apiQuery() {
  const q = new URLSearchParams({ range: state.range })
  for (const f of FILTERS) if (state[f]) q.set(f, state[f])
  return q
}

async function load() {
  inFlight?.abort()
  const controller = new AbortController()
  inFlight = controller
  document.body.classList.add('loading')
  try {
    const res = await fetch(`/v1/dashboard?${apiQuery()}`, { signal: controller.signal })
    const data = await res.json()
    if (!res.ok) throw new Error(data?.error?.message ?? `HTTP ${res.status}`)
    show(data)
    showError('')
  } catch (error) {
    if (error.name !== 'AbortError') showError(`Could not load the dashboard: ${error.message}`)
  } finally {
    if (inFlight === controller) {
      inFlight = undefined
      document.body.classList.remove('loading')
    }
  }
}

function show(data) {
  lastData = data
  fillFilters(data.filters)
  const empty = data.record_count === 0
  document.getElementById('empty').hidden = !empty
  main.hidden = empty
  if (!empty) {
    let section
    for (const panel of data.panels) {
      if (!frames.has(panel.id)) {
        if (panel.section !== section) main.append(sectionHeading(panel.section))
        const frame = createPanel(panel)
        frames.set(panel.id, frame)
        main.append(frame)
      }
      section = panel.section
      renderPanel(frames.get(panel.id), panel)
    }
  }
  generation++
  document.body.dataset.generation = String(generation)
  document.body.dataset.range = data.params.range
  statusLine.textContent =
    `${data.record_count.toLocaleString('en-US')} executions stored · range ${data.params.range}` +
    ` · updated ${formatTime(data.generated_at)} UTC · ${data.took_ms} ms` +
    (state.refresh === '0' ? ' · auto-refresh off' : ` · refresh every ${label(state.refresh)}`)
}

function sectionHeading(text) {
  const h = document.createElement('h2')
  h.className = 'section'
  h.textContent = text
  return h
}

function fillFilters(values) {
  for (const f of FILTERS) {
    const select = controls.elements[f]
    const wanted = state[f]
    const options = [...(values?.[f] ?? [])]
    if (wanted && !options.includes(wanted)) options.unshift(wanted)
    const current = [...select.options].slice(1).map((o) => o.value)
    if (current.join('\n') !== options.join('\n')) {
      select.length = 1
      for (const v of options) select.add(new Option(v, v))
    }
    select.value = wanted
  }
}

function showError(message) {
  const el = document.getElementById('error')
  el.hidden = message === ''
  el.textContent = message
}

function label(seconds) {
  return Number(seconds) >= 60 ? `${Number(seconds) / 60} min` : `${seconds} s`
}

function schedule() {
  clearInterval(timer)
  if (state.refresh !== '0') timer = setInterval(load, Number(state.refresh) * 1000)
}

function syncControls() {
  for (const b of controls.querySelectorAll('[data-range]')) {
    b.classList.toggle('active', b.dataset.range === state.range)
    b.setAttribute('aria-pressed', String(b.dataset.range === state.range))
  }
  controls.elements.refresh.value = state.refresh
}

controls.addEventListener('click', (event) => {
  const range = event.target.closest?.('[data-range]')?.dataset.range
  if (!range || range === state.range) return
  state.range = range
  syncControls()
  writeState()
  load()
})
controls.addEventListener('change', (event) => {
  const name = event.target.name
  if (FILTERS.includes(name)) state[name] = event.target.value
  if (name === 'refresh') {
    state.refresh = event.target.value
    schedule()
  }
  writeState()
  load()
})
document.getElementById('refresh-now').addEventListener('click', () => load())
// Sizes feed into some options (gauge radius), so a resize redraws from the last answer.
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer)
  resizeTimer = setTimeout(() => {
    for (const chart of document.querySelectorAll('.chart')) window.echarts.getInstanceByDom(chart)?.resize()
    if (lastData) for (const panel of lastData.panels) if (frames.has(panel.id)) renderPanel(frames.get(panel.id), panel)
  }, 150)
})
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && state.refresh !== '0') load()
})

syncControls()
writeState()
schedule()
load()
import('./search.js').then((m) => m.setupSearch())
