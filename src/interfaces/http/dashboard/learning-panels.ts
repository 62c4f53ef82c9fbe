import { getRoutingCalibration, type RoutingCalibration } from '../../../learning/routing-calibration.js'
import type { Store } from '../../../store.js'
import type { PanelLoad, PanelParams, PanelSpec } from './panel-spec.js'

const SECTION = 'Data quality and learning'
const RANGE_DAYS: Record<string, number> = { '1h': 1, '24h': 1, '7d': 7, '30d': 30, '90d': 90 }
const NO_OUTCOMES =
  'No routing decisions with outcomes yet: ask POST /v1/recommendations (or orb-learning recommend), ' +
  'then record the execution with the returned task_id'

// The three panels load concurrently from one report: share it for the duration of one dashboard load.
const SHARE_MS = 1000
const recent = new WeakMap<Store, Map<number, { at: number; value: Promise<RoutingCalibration> }>>()

/** The calibration report for the dashboard's range (whole days; 1h and 24h both read the last day). */
export function calibrationFor(store: Store, params: PanelParams): Promise<RoutingCalibration> {
  const days = RANGE_DAYS[params.range] ?? 30
  let byDays = recent.get(store)
  if (!byDays) {
    byDays = new Map()
    recent.set(store, byDays)
  }
  const hit = byDays.get(days)
  if (hit && Date.now() - hit.at <= SHARE_MS) return hit.value
  const value = getRoutingCalibration(store, { days })
  byDays.set(days, { at: Date.now(), value })
  value.catch(() => byDays.delete(days))
  return value
}

const pct = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '' : '−'}${Math.abs(x).toFixed(1)} %`)

async function loadReliability(store: Store, params: PanelParams): Promise<PanelLoad> {
  const c = await calibrationFor(store, params)
  return {
    rows: c.reliability.map((b) => ({
      predicted: b.mean_predicted * 100,
      observed: b.observed * 100,
      decisions: b.count,
    })),
    note: c.joined > 0 ? `Brier ${c.brier?.toFixed(3)} · ${c.joined} decisions with outcomes` : undefined,
  }
}

async function loadCost(store: Store, params: PanelParams): Promise<PanelLoad> {
  const c = await calibrationFor(store, params)
  if (c.joined === 0) return { rows: [] }
  return {
    rows: [
      { metric: 'predicted', value: c.cost.predicted_total },
      { metric: 'actual', value: c.cost.actual_total },
    ],
    note: `MAPE ${pct(c.cost.mape)} · bias ${c.cost.bias !== null && c.cost.bias > 0 ? '+' : ''}${pct(c.cost.bias)} · ${c.joined} decisions`,
  }
}

async function loadTierShare(store: Store, params: PanelParams): Promise<PanelLoad> {
  const c = await calibrationFor(store, params)
  return {
    rows: c.tier_share.map((s) => ({
      time: s.day,
      series: s.model_tier,
      value: s.share * 100,
      decisions: s.decisions,
    })),
  }
}

/**
 * The learning panels (GET /v1/learning/calibration for the dashboard's range): the router's reliability curve,
 * predicted vs actual cost of the chosen options, and the share of each chosen tier per day.
 */
export const LEARNING_PANELS: PanelSpec[] = [
  {
    id: 'learning_cost',
    title: 'Router: predicted vs actual cost',
    section: SECTION,
    kind: 'bargauge',
    load: loadCost,
    description:
      'Expected cost of the chosen option vs the actual cost of its execution (decisions in the range; filters do not apply)',
    unit: 'usd',
    decimals: 4,
    span: 4,
    empty: NO_OUTCOMES,
  },
  {
    id: 'learning_reliability',
    title: 'Router: predicted vs actual success',
    section: SECTION,
    kind: 'calibration',
    load: loadReliability,
    description:
      'Reliability curve: mean predicted success per bin vs the observed success rate (decisions in the range)',
    unit: 'percent',
    fields: ['predicted', 'observed', 'decisions'],
    axes: ['predicted success', 'observed success'],
    span: 5,
    empty: NO_OUTCOMES,
  },
  {
    id: 'learning_tier_share',
    title: 'Router: chosen tier share per day',
    section: SECTION,
    kind: 'share',
    load: loadTierShare,
    description:
      'Share of routing decisions per chosen model tier and day (what the router has learned to pick)',
    unit: 'percent',
    span: 12,
    empty:
      'No routing decisions in this range yet: ask POST /v1/recommendations (or orb-learning recommend) for a route',
  },
]
