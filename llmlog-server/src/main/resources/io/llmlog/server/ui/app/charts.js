// Time series charts, drawn by uPlot (served by llmlog from its WebJar) on a canvas.
import uPlot from './vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';
import { time } from './format.js';

export const PALETTE = ['#1f5eff', '#e8590c', '#2b8a3e', '#ae3ec9', '#0c8599', '#c92a2a', '#5c940d', '#f08c00', '#495057', '#d6336c'];
const HEIGHT = 190;
const live = new Set();

/**
 * A chart figure. times are epoch seconds; series are {label, values, color?} with one value (or
 * null for "nothing to plot") per time. The figure carries what it plots as data attributes:
 * data-series (labels), data-points (non-null values) and data-sum (their sum).
 */
export function chart({ id, title, times, series, format }) {
  let points = 0;
  let sum = 0;
  for (const s of series) {
    for (const v of s.values) {
      if (v !== null && v !== undefined) {
        points++;
        sum += v;
      }
    }
  }
  const plotArea = h('div', { class: 'plot' });
  const figure = h('figure', {
    class: 'chart card',
    'aria-label': title,
    dataset: { chart: id, series: series.map((s) => s.label).join('|'), points: String(points), sum: String(sum) },
  }, h('figcaption', { text: title }), plotArea);
  if (points === 0) {
    plotArea.append(h('p', { class: 'no-data', text: 'Nothing to plot in this range.' }));
    return figure;
  }
  const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
  const options = (width) => ({
    width,
    height: HEIGHT,
    scales: { x: { time: true } },
    cursor: { drag: { x: false, y: false } },
    series: [
      { value: (u, v) => (v === null ? '–' : time(v * 1000)) },
      ...series.map((s, i) => ({
        label: s.label,
        stroke: s.color || PALETTE[i % PALETTE.length],
        width: 1.75,
        value: (u, v) => (v === null || v === undefined ? '–' : format(v)),
      })),
    ],
    axes: [
      { stroke: '#5c6370', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#dfe3e8' }, space: 70, values: (u, ticks) => ticks.map((t) => axisTime(t, span)) },
      { stroke: '#5c6370', grid: { stroke: '#eef0f3' }, ticks: { stroke: '#dfe3e8' }, size: 66, values: (u, ticks) => ticks.map((t) => format(t)) },
    ],
  });
  const data = [times, ...series.map((s) => s.values.map((v) => (v === undefined ? null : v)))];
  let plot = null;
  // uPlot needs a width; the figure has one once it is in the page, and gets another on resize.
  const observer = new ResizeObserver(() => {
    const width = Math.max(200, Math.floor(plotArea.clientWidth));
    if (!plot) {
      plot = new uPlot(options(width), data, plotArea);
    } else if (Math.abs(plot.width - width) > 1) {
      plot.setSize({ width, height: HEIGHT });
    }
  });
  observer.observe(plotArea);
  live.add({ observer, destroy: () => plot && plot.destroy() });
  return figure;
}

const pad = (n) => String(n).padStart(2, '0');

/** Tick labels in 24-hour local time; with the date once the range spans days. */
function axisTime(seconds, span) {
  const d = new Date(seconds * 1000);
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return span > 86400 ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}` : clock;
}

/** Frees every chart drawn so far: a page calls it before it draws anew or goes away. */
export function destroyCharts() {
  for (const entry of live) {
    entry.observer.disconnect();
    entry.destroy();
  }
  live.clear();
}
