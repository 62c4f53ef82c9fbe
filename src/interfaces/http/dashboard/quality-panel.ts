import {
  type DataQualityReport,
  dataQualityReport,
  type QualityCheck,
} from '../../../analytics/data-quality.js'
import type { Store } from '../../../store.js'
import type { PanelLoad, PanelSpec } from './panel-spec.js'

const SEVERITY_RANK: Record<QualityCheck['severity'], number> = { critical: 0, warning: 1, info: 2 }
// The report scans the whole table; the score moves slowly, so a dashboard refresh reuses it for a minute.
const TTL_MS = 60_000
const cache = new WeakMap<Store, { at: number; value: Promise<DataQualityReport> }>()

/** The check that matters most: highest severity first, then most rows affected; undefined when all pass. */
export function worstCheck(checks: readonly QualityCheck[]): QualityCheck | undefined {
  return checks
    .filter((c) => c.affected > 0)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.affected - a.affected)[0]
}

function cachedReport(store: Store): Promise<DataQualityReport> {
  const hit = cache.get(store)
  if (hit && Date.now() - hit.at <= TTL_MS) return hit.value
  const value = dataQualityReport(store)
  cache.set(store, { at: Date.now(), value })
  value.catch(() => cache.delete(store))
  return value
}

async function loadQuality(store: Store): Promise<PanelLoad> {
  const report = await cachedReport(store)
  const worst = worstCheck(report.checks)
  return {
    rows: [{ value: report.score, worst_check: worst?.name ?? null, affected: worst?.affected ?? 0 }],
    note: worst
      ? `worst: ${worst.name.replaceAll('_', ' ')} (${worst.affected.toLocaleString('en-US')} ${worst.severity})`
      : 'all checks pass',
  }
}

/** The data-quality stat: the report's score (0-100) and its worst check, for the whole database. */
export const QUALITY_PANEL: PanelSpec = {
  id: 'data_quality',
  title: 'Data quality score',
  section: 'Data quality and learning',
  kind: 'stat',
  load: loadQuality,
  description:
    'Score 0-100 of GET /v1/quality over the whole database (not the range); refreshed every minute',
  unit: 'score',
  span: 3,
  thresholds: [
    { from: 0, color: 'red' },
    { from: 70, color: 'yellow' },
    { from: 90, color: 'green' },
  ],
}
