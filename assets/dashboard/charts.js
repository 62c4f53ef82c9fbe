// ECharts options for the chart panels (the library is served locally as window.echarts).
import { COLORS, formatCompact, formatTime, formatValue, GRID, MUTED, PALETTE, TEXT, thresholdColor } from './format.js'

const AXIS = {
  axisLine: { lineStyle: { color: GRID } },
  axisTick: { show: false },
  axisLabel: { color: MUTED, fontSize: 11 },
  splitLine: { lineStyle: { color: GRID } },
}

const TOOLTIP = {
  backgroundColor: '#22252B',
  borderColor: '#34373F',
  textStyle: { color: TEXT, fontSize: 12 },
}

/** Create or reuse the chart of a panel body and give it a new option. */
export function drawChart(el, option) {
  const echarts = window.echarts
  let chart = echarts.getInstanceByDom(el)
  if (!chart) chart = echarts.init(el, null, { renderer: 'canvas' })
  else chart.resize()
  chart.setOption({ animation: false, textStyle: { color: TEXT }, color: PALETTE, ...option }, true)
  return chart
}

export function timeseriesOption(panel) {
  const fields = panel.fields ?? ['value']
  const marks = (panel.thresholds ?? []).filter((t) => t.from > 0)
  return {
    grid: { left: 48, right: 32, top: 16, bottom: 28 },
    tooltip: { ...TOOLTIP, trigger: 'axis', valueFormatter: (v) => formatValue(v, panel.unit) },
    xAxis: { type: 'time', ...AXIS, splitLine: { show: false } },
    yAxis: {
      type: 'value',
      ...AXIS,
      ...(panel.unit === 'percent' ? { max: 100, min: (v) => Math.max(0, Math.floor(v.min / 10) * 10) } : {}),
      axisLabel: { ...AXIS.axisLabel, formatter: (v) => formatCompact(v, panel.unit) },
    },
    series: fields.map((field, i) => ({
      name: field === 'value' ? panel.title : field,
      type: 'line',
      showSymbol: false,
      lineStyle: { width: 2 },
      areaStyle: { opacity: 0.12 },
      data: panel.rows.map((r) => [r.time, r[field]]),
      ...(i === 0 && marks.length > 0
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              label: { color: MUTED, formatter: (p) => formatValue(p.value, panel.unit, 0) },
              data: marks.map((t) => ({ yAxis: t.from, lineStyle: { color: COLORS[t.color], type: 'dashed', opacity: 0.6 } })),
            },
          }
        : {}),
    })),
  }
}

export function barGaugeOption(panel) {
  const rows = [...panel.rows].reverse()
  const top = Math.max(0, ...rows.map((r) => (typeof r.value === 'number' ? r.value : 0)))
  const max = panel.unit === 'percent' ? 100 : top * 1.15 || 1
  return {
    grid: { left: 8, right: 64, top: 8, bottom: 8, containLabel: true },
    tooltip: { ...TOOLTIP, valueFormatter: (v) => formatValue(v, panel.unit) },
    xAxis: { type: 'value', max, show: false },
    yAxis: { type: 'category', data: rows.map((r) => r.metric), ...AXIS, axisLabel: { color: TEXT, fontSize: 12 } },
    series: [
      {
        type: 'bar',
        barWidth: '60%',
        showBackground: true,
        backgroundStyle: { color: '#22252B' },
        data: rows.map((r) => ({
          value: r.value,
          itemStyle: { color: thresholdColor(r.value, panel.thresholds) ?? COLORS.blue, borderRadius: 2 },
        })),
        label: { show: true, position: 'right', color: TEXT, formatter: (p) => formatValue(p.value, panel.unit) },
      },
    ],
  }
}

export function donutOption(panel) {
  const total = panel.rows.reduce((sum, r) => sum + (typeof r.value === 'number' ? r.value : 0), 0) || 1
  const share = new Map(panel.rows.map((r) => [r.metric ?? '(none)', r.value / total]))
  return {
    tooltip: { ...TOOLTIP, trigger: 'item', valueFormatter: (v) => formatValue(v, panel.unit, panel.decimals) },
    legend: {
      orient: 'vertical',
      right: 8,
      top: 'middle',
      icon: 'circle',
      itemGap: 10,
      textStyle: { color: TEXT, rich: { pct: { color: MUTED, padding: [0, 0, 0, 6] } } },
      formatter: (name) => `${name}{pct|${formatValue((share.get(name) ?? 0) * 100, 'percent', 1)}}`,
    },
    series: [
      {
        type: 'pie',
        radius: ['45%', '72%'],
        center: ['34%', '50%'],
        itemStyle: { borderColor: '#181B1F', borderWidth: 2 },
        label: { show: false },
        data: panel.rows.map((r) => ({ name: r.metric ?? '(none)', value: r.value })),
      },
    ],
  }
}

export function gaugeOption(panel, size) {
  const fields = panel.fields ?? ['value']
  const row = panel.rows[0] ?? {}
  const values = fields.map((f) => (typeof row[f] === 'number' ? row[f] : 0))
  const last = panel.thresholds?.at(-1)?.from ?? 1
  const max = panel.unit === 'percent' ? 100 : niceMax(Math.max(last * 1.5, ...values))
  const stops = (panel.thresholds ?? []).map((t, i, all) => [
    Math.min(1, (all[i + 1]?.from ?? max) / max),
    COLORS[t.color],
  ])
  const width = 100 / fields.length
  const radius = Math.max(30, Math.min(size.width / fields.length / 2 - 10, size.height * 0.44))
  return {
    series: fields.map((field, i) => ({
      type: 'gauge',
      center: [`${width * i + width / 2}%`, '54%'],
      radius,
      min: 0,
      max,
      startAngle: 210,
      endAngle: -30,
      splitNumber: 4,
      axisLine: { lineStyle: { width: 10, color: stops.length ? stops : [[1, COLORS.blue]] } },
      pointer: { width: 4, length: '60%', itemStyle: { color: TEXT } },
      anchor: { show: true, size: 8, itemStyle: { color: TEXT } },
      axisTick: { show: false },
      splitLine: { show: false },
      axisLabel: { show: false },
      title: { show: fields.length > 1, offsetCenter: [0, '82%'], color: MUTED, fontSize: 12 },
      detail: {
        valueAnimation: false,
        offsetCenter: [0, fields.length > 1 ? '45%' : '55%'],
        fontSize: radius < 60 ? 15 : 20,
        fontWeight: 600,
        color: thresholdColor(values[i], panel.thresholds) ?? TEXT,
        formatter: (v) => formatValue(v, panel.unit, panel.decimals),
      },
      data: [{ value: values[i], name: field }],
    })),
  }
}

export function heatmapOption(panel) {
  const [yKey, xKey, valueKey, countKey] = panel.fields
  const ys = [...new Set(panel.rows.map((r) => r[yKey]))].sort()
  const xs = [...new Set(panel.rows.map((r) => r[xKey]))].sort()
  const data = panel.rows.map((r) => [xs.indexOf(r[xKey]), ys.indexOf(r[yKey]), r[valueKey], r[countKey]])
  const pieces = (panel.thresholds ?? []).map((t, i, all) => ({
    min: t.from,
    ...(all[i + 1] ? { lt: all[i + 1].from } : {}),
    color: COLORS[t.color],
  }))
  return {
    grid: { left: 8, right: 16, top: 8, bottom: 40, containLabel: true },
    tooltip: {
      ...TOOLTIP,
      formatter: (p) =>
        `${ys[p.value[1]]} · ${xs[p.value[0]]}<br>${formatValue(p.value[2], panel.unit)} of ${formatValue(p.value[3], 'count')}`,
    },
    xAxis: { type: 'category', data: xs, ...AXIS, axisLabel: { color: TEXT }, splitArea: { show: false } },
    yAxis: { type: 'category', data: ys, ...AXIS, axisLabel: { color: TEXT } },
    visualMap: {
      type: 'piecewise',
      pieces,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemWidth: 12,
      itemHeight: 12,
      textStyle: { color: MUTED },
      formatter: (lo, hi) => (hi === Infinity || hi === undefined ? `≥ ${lo}%` : `${lo}–${hi}%`),
      dimension: 2,
      inRange: { opacity: 0.85 },
    },
    series: [
      {
        type: 'heatmap',
        data,
        label: {
          show: true,
          color: '#111217',
          fontWeight: 600,
          formatter: (p) => `${formatValue(p.value[2], panel.unit, 0)} {n|n=${p.value[3]}}`,
          rich: { n: { fontSize: 10, fontWeight: 400, color: '#26282e' } },
        },
        itemStyle: { borderColor: '#181B1F', borderWidth: 3, borderRadius: 3 },
      },
    ],
  }
}

export function calibrationOption(panel) {
  const [xKey, yKey, sizeKey] = panel.fields
  const [xName, yName] = panel.axes ?? ['mean estimate', 'mean actual']
  const unit = panel.unit
  const points = panel.rows.map((r) => [r[xKey], r[yKey], r[sizeKey]])
  const top = unit === 'percent' ? 100 : niceMax(Math.max(0, ...points.flatMap((p) => [p[0] ?? 0, p[1] ?? 0])) * 1.05)
  const maxN = Math.max(1, ...points.map((p) => p[2] ?? 0))
  const fmt = (v) => formatValue(v, unit, unit === 'usd' ? 4 : undefined)
  const axis = (name, extra) => ({
    type: 'value', name, min: 0, max: top, ...AXIS, ...extra, nameTextStyle: { color: MUTED },
    axisLabel: { ...AXIS.axisLabel, formatter: (v) => formatCompact(v, unit) },
  })
  return {
    grid: { left: 56, right: 16, top: 24, bottom: 40 },
    legend: { top: 0, right: 0, textStyle: { color: MUTED } },
    tooltip: {
      ...TOOLTIP,
      formatter: (p) =>
        p.seriesIndex === 0
          ? `${xName} ${fmt(p.value[0])}<br>${yName} ${fmt(p.value[1])}<br>${p.value[2]} ${sizeKey}`
          : `${yName} = ${xName}`,
    },
    xAxis: axis(xName, { nameLocation: 'middle', nameGap: 26 }),
    yAxis: axis(yName),
    series: [
      {
        name: unit === 'usd' ? 'cost bins' : 'bins',
        type: 'scatter',
        data: points,
        symbolSize: (p) => 8 + 14 * Math.sqrt((p[2] ?? 0) / maxN),
        itemStyle: { color: COLORS.orange, opacity: 0.9 },
      },
      {
        name: 'perfect calibration',
        type: 'line',
        data: [[0, 0], [top, top]],
        showSymbol: false,
        lineStyle: { color: MUTED, type: 'dashed', width: 1 },
      },
    ],
  }
}

/** Stacked bars of rows `{ time, series, value }`: each time's shares (e.g. chosen tier per day) summing to 100. */
export function shareOption(panel) {
  const times = [...new Set(panel.rows.map((r) => r.time))].sort()
  const names = [...new Set(panel.rows.map((r) => r.series))].sort()
  const at = new Map(panel.rows.map((r) => [`${r.time}\u0000${r.series}`, r.value]))
  return {
    grid: { left: 48, right: 16, top: 32, bottom: 28 },
    legend: { top: 0, right: 0, icon: 'circle', textStyle: { color: MUTED } },
    tooltip: { ...TOOLTIP, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => formatValue(v, panel.unit) },
    xAxis: { type: 'category', data: times, ...AXIS, splitLine: { show: false } },
    yAxis: { type: 'value', max: 100, ...AXIS, axisLabel: { ...AXIS.axisLabel, formatter: (v) => formatCompact(v, panel.unit) } },
    series: names.map((name) => ({
      name,
      type: 'bar',
      stack: 'share',
      barMaxWidth: 48,
      data: times.map((t) => at.get(`${t}\u0000${name}`) ?? 0),
    })),
  }
}

function niceMax(value) {
  if (value <= 0) return 1
  const magnitude = 10 ** Math.floor(Math.log10(value))
  return Math.ceil(value / magnitude) * magnitude
}

export { formatTime }
