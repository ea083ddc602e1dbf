// Small SVG charts drawn here, with no library: a line chart with axes, gridlines, optional point markers and a
// legend. Series colours come from one palette, so a series keeps its colour across refreshes and pages.
import { h, s, fill } from './dom.js';

/** The series colours, in order. */
export const palette = ['#2563eb', '#e4572e', '#10a37f', '#f59e0b', '#9333ea', '#0891b2', '#be185d', '#4d7c0f'];

// The left margin grows with the longest y label (about 6.5 px a character at the tick font size).
const margin = { right: 14, top: 12, bottom: 30 };

/**
 * Draws series ([{name, points: [{x, y}], color?}]) into container as an SVG line chart of width x height pixels.
 * Options: markers (a circle per point), area (fill under the first series), xFormat / yFormat for tick labels,
 * yMin (default 0, or the lowest value when `fitY`), empty (the text shown when there are no points).
 */
export function lineChart(container, series, options = {}) {
  const width = options.width ?? 560;
  const height = options.height ?? 220;
  const xFormat = options.xFormat ?? (v => String(v));
  const yFormat = options.yFormat ?? (v => String(v));
  const points = series.flatMap(line => line.points);
  if (points.length === 0) {
    fill(container, h('p', { class: 'chart-empty', text: options.empty ?? 'No data yet.' }));
    return;
  }
  const xs = points.map(p => p.x);
  const ys = points.map(p => p.y);
  let [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  if (xMin === xMax) {
    [xMin, xMax] = [xMin - 1, xMax + 1];
  }
  const low = options.fitY ? Math.min(...ys) : Math.min(0, ...ys);
  const ticks = niceTicks(low, Math.max(...ys), 4);
  const [yMin, yMax] = [ticks[0], ticks[ticks.length - 1]];
  const left = Math.max(36, 12 + 6.5 * Math.max(...ticks.map(t => yFormat(t).length)));
  const plotWidth = width - left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const x = v => left + (v - xMin) / (xMax - xMin) * plotWidth;
  const y = v => margin.top + plotHeight - (v - yMin) / (yMax - yMin) * plotHeight;

  const svg = s('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': options.label ?? 'chart' });
  for (const tick of ticks) {
    svg.append(
      s('line', { class: 'grid', x1: left, x2: width - margin.right, y1: y(tick), y2: y(tick) }),
      s('text', { class: 'tick', x: left - 6, y: y(tick) + 4, 'text-anchor': 'end', text: yFormat(tick) }));
  }
  for (const tick of xTicks(xMin, xMax, xs)) {
    svg.append(s('text', { class: 'tick', x: x(tick), y: height - margin.bottom + 16, 'text-anchor': 'middle', text: xFormat(tick) }));
  }
  svg.append(s('line', { class: 'axis', x1: left, x2: width - margin.right, y1: y(yMin), y2: y(yMin) }));
  if (options.xLabel) {
    svg.append(s('text', { class: 'axis-label', x: width - margin.right, y: height - 2, 'text-anchor': 'end', text: options.xLabel }));
  }

  series.forEach((line, index) => {
    const color = line.color ?? palette[index % palette.length];
    const sorted = [...line.points].sort((a, b) => a.x - b.x);
    const path = sorted.map(p => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ');
    const group = s('g', { class: 'series', 'data-series': line.name, 'data-color': color });
    if (options.area && index === 0 && sorted.length > 1) {
      const base = y(yMin).toFixed(1);
      group.append(s('polygon', { class: 'area', fill: color, points: `${x(sorted[0].x).toFixed(1)},${base} ${path} ${x(sorted[sorted.length - 1].x).toFixed(1)},${base}` }));
    }
    group.append(s('polyline', { fill: 'none', stroke: color, 'stroke-width': 2.5, 'stroke-linejoin': 'round', points: path }));
    if (options.markers || sorted.length === 1) {
      for (const p of sorted) {
        group.append(s('circle', { class: 'point', cx: x(p.x).toFixed(1), cy: y(p.y).toFixed(1), r: 3.5, fill: color, 'data-x': p.x, 'data-y': p.y },
          s('title', { text: `${line.name}: ${xFormat(p.x)} → ${yFormat(p.y)}` })));
      }
    }
    svg.append(group);
  });

  const legend = series.length > 1 || options.legend
    ? h('ul', { class: 'legend' }, series.map((line, index) =>
      h('li', {}, swatch(line.color ?? palette[index % palette.length]), line.name)))
    : null;
  fill(container, svg, legend);
}

/** A small coloured square for legends and tables. */
export function swatch(color) {
  const mark = s('svg', { class: 'swatch', width: 10, height: 10, viewBox: '0 0 10 10' }, s('rect', { width: 10, height: 10, fill: color }));
  return mark;
}

// Tick values at 1, 2 or 5 times a power of ten, covering [low, high].
function niceTicks(low, high, count) {
  if (high === low) {
    high = low + 1;
  }
  const rough = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map(m => m * power).find(m => m >= rough);
  const first = Math.floor(low / step) * step;
  const ticks = [];
  for (let v = first; v < high + step * 0.999; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks.length > 1 ? ticks : [first, first + step];
}

// A handful of x labels: the ends and up to four points between, at data values when there are few.
function xTicks(min, max, xs) {
  const distinct = [...new Set(xs)].sort((a, b) => a - b);
  if (distinct.length <= 6) {
    return distinct;
  }
  return [0, 1, 2, 3, 4, 5].map(i => Math.round(min + (max - min) * i / 5));
}
