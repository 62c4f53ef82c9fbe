// Number formatting and threshold colours shared by every panel renderer.

export const COLORS = {
  red: '#F2495C',
  yellow: '#FADE2A',
  green: '#73BF69',
  blue: '#5794F2',
  orange: '#FF9830',
}

export const PALETTE = ['#5794F2', '#73BF69', '#FADE2A', '#FF9830', '#F2495C', '#B877D9', '#8AB8FF', '#96D98D', '#FFB357']

export const TEXT = '#CCCCDC'
export const MUTED = '#8E8E99'
export const GRID = '#2A2D35'

const DEFAULT_DECIMALS = { count: 0, percent: 1, usd: 2, seconds: 1, score: 1, ratio: 2 }

/** Format a value in a unit: 1,234 · 95.2% · $0.0123 · 4.5 s. */
export function formatValue(value, unit, decimals) {
  if (value === null || value === undefined || value === '') return '–'
  if (unit === 'time') return formatTime(value)
  if (typeof value === 'boolean') return value ? 'success' : 'failed'
  if (typeof value !== 'number') return String(value)
  if (!Number.isFinite(value)) return '–'
  const d = decimals ?? DEFAULT_DECIMALS[unit] ?? (Number.isInteger(value) ? 0 : 2)
  const n = value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
  if (unit === 'percent') return `${n}%`
  if (unit === 'usd') return `$${n}`
  if (unit === 'seconds') return `${n} s`
  return n
}

/** A compact form for axes: 12k, 1.5M. */
export function formatCompact(value, unit) {
  if (typeof value !== 'number') return String(value)
  const n = Math.abs(value) >= 1000 ? value.toLocaleString('en-US', { notation: 'compact', maximumFractionDigits: 1 }) : String(Math.round(value * 100) / 100)
  if (unit === 'percent') return `${n}%`
  if (unit === 'usd') return `$${n}`
  if (unit === 'seconds') return `${n}s`
  return n
}

/** `2026-11-26 14:03:12` in UTC, the timezone of the original dashboard. */
export function formatTime(value) {
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return String(value)
  return date.toISOString().slice(0, 19).replace('T', ' ')
}

/** The colour of a value under ascending thresholds, or undefined without thresholds. */
export function thresholdColor(value, thresholds) {
  if (!thresholds || thresholds.length === 0 || typeof value !== 'number') return undefined
  let color = thresholds[0].color
  for (const t of thresholds) if (value >= t.from) color = t.color
  return COLORS[color] ?? color
}
