import { LEARNING_PANELS } from './learning-panels.js'
import {
  CONFIDENCE_THRESHOLDS,
  DURATION_THRESHOLDS,
  type PanelSpec,
  QUALITY_THRESHOLDS,
  SUCCESS_THRESHOLDS,
} from './panel-spec.js'
import { QUALITY_PANEL } from './quality-panel.js'

const OVERVIEW = 'Overview'
const TRENDS = 'Trends'
const TIERS = 'Model tiers and pools'
const BREAKDOWN = 'Repositories, task types and quality'
const COST = 'Cost and errors'
const LIVE = 'Latest executions'

/**
 * The dashboard, in reading order: the 17 panels of the original Grafana dashboard (same thresholds) plus
 * cost calibration, the task type × tier heat map, data quality, the router's learning panels and the latest
 * executions. Add a panel: one entry here.
 */
export const DASHBOARD_PANELS: PanelSpec[] = [
  {
    id: 'executions',
    title: 'Executions',
    section: OVERVIEW,
    kind: 'stat',
    query: 'execution_count_24h',
    unit: 'count',
    span: 2,
    thresholds: [
      { from: 0, color: 'blue' },
      { from: 100, color: 'green' },
      { from: 1000, color: 'yellow' },
    ],
  },
  {
    id: 'success_rate',
    title: 'Success rate',
    section: OVERVIEW,
    kind: 'stat',
    query: 'success_rate_24h',
    unit: 'percent',
    span: 2,
    thresholds: SUCCESS_THRESHOLDS,
  },
  {
    id: 'avg_quality',
    title: 'Average quality score',
    section: OVERVIEW,
    kind: 'stat',
    query: 'avg_quality_24h',
    unit: 'score',
    span: 2,
    thresholds: QUALITY_THRESHOLDS,
  },
  {
    id: 'total_cost',
    title: 'Total cost',
    section: OVERVIEW,
    kind: 'stat',
    query: 'total_cost_24h',
    unit: 'usd',
    decimals: 4,
    span: 2,
    thresholds: [
      { from: 0, color: 'green' },
      { from: 1, color: 'yellow' },
      { from: 5, color: 'red' },
    ],
  },
  {
    id: 'database_growth',
    title: 'Executions recorded (30 days)',
    params: { range: '30d' },
    section: OVERVIEW,
    kind: 'stat',
    query: 'database_growth',
    unit: 'count',
    span: 2,
    thresholds: [
      { from: 0, color: 'blue' },
      { from: 10_000, color: 'green' },
      { from: 100_000, color: 'yellow' },
    ],
  },
  {
    id: 'routing_confidence',
    title: 'Average routing confidence',
    section: OVERVIEW,
    kind: 'gauge',
    query: 'avg_routing_confidence',
    unit: 'percent',
    span: 2,
    thresholds: CONFIDENCE_THRESHOLDS,
  },

  {
    id: 'executions_over_time',
    title: 'Executions over time',
    section: TRENDS,
    kind: 'timeseries',
    query: 'executions_over_time',
    unit: 'count',
    span: 6,
  },
  {
    id: 'success_over_time',
    title: 'Success rate over time',
    section: TRENDS,
    kind: 'timeseries',
    query: 'success_rate_over_time',
    unit: 'percent',
    span: 6,
    thresholds: SUCCESS_THRESHOLDS,
  },

  {
    id: 'success_by_tier',
    title: 'Success rate by model tier',
    section: TIERS,
    kind: 'bargauge',
    query: 'success_by_model_tier',
    unit: 'percent',
    span: 4,
    thresholds: [
      { from: 0, color: 'red' },
      { from: 80, color: 'yellow' },
      { from: 90, color: 'green' },
    ],
  },
  {
    id: 'duration_by_tier',
    title: 'Average duration by model tier',
    section: TIERS,
    kind: 'bargauge',
    query: 'duration_by_model_tier',
    unit: 'seconds',
    span: 4,
    thresholds: [
      { from: 0, color: 'green' },
      { from: 10, color: 'yellow' },
      { from: 30, color: 'red' },
    ],
  },
  {
    id: 'cost_by_tier',
    title: 'Cost by model tier',
    section: TIERS,
    kind: 'donut',
    query: 'cost_by_model_tier',
    unit: 'usd',
    span: 4,
  },
  {
    id: 'duration_percentiles',
    title: 'Duration percentiles',
    section: TIERS,
    kind: 'gauge',
    query: 'duration_percentiles',
    unit: 'seconds',
    fields: ['p50', 'p95', 'p99'],
    span: 6,
    thresholds: DURATION_THRESHOLDS,
  },
  {
    id: 'pool_performance',
    title: 'Pool performance comparison',
    section: TIERS,
    kind: 'table',
    query: 'pool_performance',
    span: 6,
    columns: [
      { key: 'metric', label: 'Pool' },
      { key: 'executions', label: 'Executions', unit: 'count' },
      { key: 'success_rate', label: 'Success', unit: 'percent', thresholds: SUCCESS_THRESHOLDS },
      { key: 'avg_duration', label: 'Avg duration', unit: 'seconds', thresholds: DURATION_THRESHOLDS },
      { key: 'avg_cost', label: 'Avg cost', unit: 'usd' },
    ],
  },

  {
    id: 'top_repos',
    title: 'Top repositories',
    section: BREAKDOWN,
    kind: 'table',
    query: 'top_repos',
    span: 5,
    columns: [
      { key: 'metric', label: 'Repository' },
      { key: 'executions', label: 'Executions', unit: 'count' },
      { key: 'avg_quality', label: 'Quality', unit: 'score', thresholds: QUALITY_THRESHOLDS },
      { key: 'avg_duration', label: 'Avg duration', unit: 'seconds', thresholds: DURATION_THRESHOLDS },
      { key: 'total_cost', label: 'Cost', unit: 'usd' },
    ],
  },
  {
    id: 'quality_distribution',
    title: 'Quality score distribution',
    section: BREAKDOWN,
    kind: 'donut',
    query: 'quality_distribution',
    unit: 'count',
    span: 3,
  },
  {
    id: 'task_types',
    title: 'Task types',
    section: BREAKDOWN,
    kind: 'table',
    query: 'task_type_distribution',
    span: 4,
    columns: [
      { key: 'metric', label: 'Task type' },
      { key: 'executions', label: 'Executions', unit: 'count' },
      { key: 'avg_duration', label: 'Avg duration', unit: 'seconds', thresholds: DURATION_THRESHOLDS },
      { key: 'avg_quality', label: 'Quality', unit: 'score', thresholds: QUALITY_THRESHOLDS },
    ],
  },
  {
    id: 'heatmap',
    title: 'Success rate: task type × model tier',
    section: BREAKDOWN,
    kind: 'heatmap',
    query: 'task_type_tier_heatmap',
    unit: 'percent',
    fields: ['task_type', 'model_tier', 'success_rate', 'executions'],
    span: 12,
    thresholds: SUCCESS_THRESHOLDS,
  },

  {
    id: 'cost_calibration',
    title: 'Cost estimate calibration (estimate vs actual)',
    section: COST,
    kind: 'calibration',
    query: 'cost_calibration',
    unit: 'usd',
    fields: ['avg_estimate', 'avg_actual', 'executions'],
    span: 6,
  },
  {
    id: 'top_errors',
    title: 'Top error types',
    section: COST,
    kind: 'table',
    query: 'top_errors',
    span: 6,
    columns: [
      { key: 'metric', label: 'Error type' },
      {
        key: 'value',
        label: 'Count',
        unit: 'count',
        thresholds: [
          { from: 0, color: 'green' },
          { from: 10, color: 'yellow' },
          { from: 50, color: 'red' },
        ],
      },
      { key: 'last_occurrence', label: 'Last seen', unit: 'time' },
    ],
  },

  QUALITY_PANEL,
  ...LEARNING_PANELS,

  {
    id: 'latest_executions',
    title: 'Latest executions',
    section: LIVE,
    kind: 'table',
    query: 'live_executions',
    span: 12,
    columns: [
      { key: 'timestamp', label: 'Time', unit: 'time' },
      { key: 'task_type', label: 'Task type' },
      { key: 'repo', label: 'Repository' },
      { key: 'model_tier', label: 'Tier' },
      { key: 'pool_type', label: 'Pool' },
      { key: 'success', label: 'Result' },
      { key: 'duration_seconds', label: 'Duration', unit: 'seconds', thresholds: DURATION_THRESHOLDS },
      { key: 'quality_score', label: 'Quality', unit: 'score', thresholds: QUALITY_THRESHOLDS },
      { key: 'error_type', label: 'Error' },
    ],
  },
]
