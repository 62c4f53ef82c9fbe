import type { Store } from '../../../store.js'

/** How a panel is drawn by the dashboard's browser code. */
export type PanelKind =
  | 'stat'
  | 'gauge'
  | 'timeseries'
  | 'bargauge'
  | 'donut'
  | 'table'
  | 'heatmap'
  | 'calibration'
  | 'share'

/** The unit a value is formatted in. */
export type PanelUnit = 'count' | 'percent' | 'usd' | 'seconds' | 'score' | 'ratio' | 'text' | 'time'

/** Colour steps: a value at or above `from` takes `color` (ascending, the first from is 0 or lower). */
export type Thresholds = readonly { from: number; color: 'red' | 'yellow' | 'green' | 'blue' | 'orange' }[]

/** One table column: the row key, its header, unit and optional colouring. */
export interface PanelColumn {
  key: string
  label: string
  unit?: PanelUnit
  thresholds?: Thresholds
}

/** The parameters a panel's rows are loaded with (validated dashboard parameters). */
export interface PanelParams {
  range: string
  repo?: string
  model_tier?: string
  pool_type?: string
  task_type?: string
}

/** What a panel's `load` returns: its rows, optionally with a one-line note shown under the panel. */
export interface PanelLoad {
  rows: Record<string, unknown>[]
  /** E.g. "Brier 0.12 · 40 decisions" or the worst data-quality check. */
  note?: string
}

/**
 * One dashboard panel. Rows come from the named `query` (with the dashboard's range and filters), or from
 * `load` for capabilities that are not named queries (learning, ops). Everything but `load` is sent to the browser.
 */
export interface PanelSpec {
  id: string
  title: string
  /** Section heading the panel is grouped under. */
  section: string
  kind: PanelKind
  query?: string
  load?: (store: Store, params: PanelParams) => Promise<Record<string, unknown>[] | PanelLoad>
  /** Fixed extra query parameters (e.g. `{ bucket: 'hour' }`). */
  params?: Readonly<Record<string, string>>
  description?: string
  unit?: PanelUnit
  thresholds?: Thresholds
  /** Value fields for stat/gauge/timeseries/bargauge (default `value`); label field for bar/donut is `metric`. */
  fields?: readonly string[]
  columns?: readonly PanelColumn[]
  /** Width in a 12-column grid on wide screens. Default 4. */
  span?: number
  /** Decimals shown. Default by unit. */
  decimals?: number
  /** Axis names of x/y charts (calibration), e.g. `['predicted', 'observed']`. */
  axes?: readonly [string, string]
  /** The message shown when there are no rows (default "No data in this range"). */
  empty?: string
}

/** Success percent: red below 90, yellow below 95, green from 95. */
export const SUCCESS_THRESHOLDS: Thresholds = [
  { from: 0, color: 'red' },
  { from: 90, color: 'yellow' },
  { from: 95, color: 'green' },
]
/** Quality score: red, yellow from 60, green from 75, blue from 90. */
export const QUALITY_THRESHOLDS: Thresholds = [
  { from: 0, color: 'red' },
  { from: 60, color: 'yellow' },
  { from: 75, color: 'green' },
  { from: 90, color: 'blue' },
]
/** Duration in seconds: green, yellow from 5, red from 15. */
export const DURATION_THRESHOLDS: Thresholds = [
  { from: 0, color: 'green' },
  { from: 5, color: 'yellow' },
  { from: 15, color: 'red' },
]
/** Routing confidence percent: red, yellow from 70, green from 90. */
export const CONFIDENCE_THRESHOLDS: Thresholds = [
  { from: 0, color: 'red' },
  { from: 70, color: 'yellow' },
  { from: 90, color: 'green' },
]
