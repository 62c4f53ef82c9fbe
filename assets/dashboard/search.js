// The similar-execution search box: shown only when the server has GET /v1/similar.
import { formatTime, formatValue } from './format.js'

export async function setupSearch() {
  const probe = await fetch('/v1/openapi.json').then((r) => r.json()).catch(() => null)
  if (!probe?.paths?.['/v1/similar']) return
  const section = document.getElementById('search')
  const form = document.getElementById('search-form')
  const results = document.getElementById('search-results')
  section.hidden = false
  form.addEventListener('submit', async (event) => {
    event.preventDefault()
    const text = form.elements.text.value.trim()
    if (!text) return
    results.textContent = 'Searching…'
    try {
      const res = await fetch(`/v1/similar?${new URLSearchParams({ text, limit: '5', min_similarity: '0' })}`)
      const data = await res.json()
      if (!res.ok) throw new Error(data?.error?.message ?? `HTTP ${res.status}`)
      const items = data.results ?? data.executions ?? data.items ?? (Array.isArray(data) ? data : [])
      results.replaceChildren(...(items.length ? items.map(renderHit) : [message('No similar executions found')]))
    } catch (error) {
      results.replaceChildren(message(`Search failed: ${error.message}`))
    }
  })
}

function renderHit(hit) {
  const e = hit.execution ?? hit
  const li = document.createElement('div')
  li.className = 'hit'
  const score = hit.similarity ?? hit.score
  const top = document.createElement('div')
  top.className = 'hit-head'
  top.textContent = `${e.success ? '✔' : '✘'} ${e.task_type ?? ''} · ${e.repo ?? ''} · ${e.model_tier ?? ''}/${e.pool_type ?? ''}` +
    (typeof score === 'number' ? ` · similarity ${formatValue(score, 'ratio')}` : '') +
    (e.timestamp ? ` · ${formatTime(e.timestamp)}` : '')
  const desc = document.createElement('div')
  desc.className = 'hit-desc'
  desc.textContent = e.task_description ?? ''
  li.append(top, desc)
  if (e.solution_summary) {
    const sol = document.createElement('div')
    sol.className = 'hit-solution'
    sol.textContent = `Solution: ${e.solution_summary}`
    li.append(sol)
  }
  return li
}

function message(text) {
  const div = document.createElement('div')
  div.className = 'panel-message'
  div.textContent = text
  return div
}
