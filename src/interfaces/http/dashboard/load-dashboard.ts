import { type FilterValues, listFilterValues } from '../../../analytics/filter-values.js'
import { getQueryInfo, runQuery } from '../../../analytics/query-registry.js'
import { errorMessage, LearningError } from '../../../errors.js'
import { getDatabaseStatus } from '../../../ops/database-status.js'
import type { Store } from '../../../store.js'
import type { PanelParams, PanelSpec } from './panel-spec.js'
import { DASHBOARD_PANELS } from './panels.js'

/** One panel as the browser gets it: its spec (without `load`) and its rows, or why it has none. */
export type PanelData = Omit<PanelSpec, 'load'> & {
  rows: Record<string, unknown>[]
  source?: 'rollup' | 'raw'
  error?: string
  note?: string
}

/** Everything the dashboard shows, in one answer. */
export interface DashboardData {
  generated_at: string
  params: PanelParams
  record_count: number
  filters: FilterValues
  panels: PanelData[]
  took_ms: number
}

/** Options of `loadDashboard`. */
export interface LoadDashboardOptions {
  /** The panels to load. Default: `DASHBOARD_PANELS`. */
  panels?: readonly PanelSpec[]
  /** Where the filter pickers' values come from (the server caches them). Default: read them now. */
  filterValues?: () => Promise<FilterValues>
}

/** Load every panel with the same range and filters, concurrently; one failing panel does not fail the rest. */
export async function loadDashboard(
  store: Store,
  params: PanelParams,
  options: LoadDashboardOptions = {},
): Promise<DashboardData> {
  const { panels = DASHBOARD_PANELS, filterValues = () => listFilterValues(store) } = options
  const started = performance.now()
  const [status, filters, data] = await Promise.all([
    getDatabaseStatus(store),
    filterValues(),
    Promise.all(panels.map((panel) => loadPanel(store, panel, params))),
  ])
  return {
    generated_at: new Date().toISOString(),
    params,
    record_count: status.record_count,
    filters,
    panels: data,
    took_ms: Math.round(performance.now() - started),
  }
}

async function loadPanel(store: Store, panel: PanelSpec, params: PanelParams): Promise<PanelData> {
  const { load, ...spec } = panel
  try {
    if (load) {
      const loaded = await load(store, params)
      return Array.isArray(loaded) ? { ...spec, rows: loaded } : { ...spec, ...loaded }
    }
    if (!panel.query) return { ...spec, rows: [], error: 'panel has neither a query nor a loader' }
    const accepted = new Set<string>(getQueryInfo(panel.query).params)
    const queryParams: Record<string, string> = {}
    for (const [key, value] of Object.entries({
      ...params,
      bucket: bucketFor(params.range),
      ...panel.params,
    })) {
      if (value !== undefined && accepted.has(key)) queryParams[key] = value
    }
    const result = await runQuery(store, panel.query, queryParams)
    return { ...spec, rows: result.rows, source: result.source }
  } catch (error) {
    const message =
      error instanceof LearningError && error.code === 'not_found'
        ? `query ${panel.query} is not available in this build`
        : errorMessage(error)
    return { ...spec, rows: [], error: message }
  }
}

// Hourly points for a day or less, daily for a month or more; 7 days keeps each query's own default.
function bucketFor(range: string): string | undefined {
  if (range === '1h' || range === '24h') return 'hour'
  if (range === '30d' || range === '90d') return 'day'
  return undefined
}
