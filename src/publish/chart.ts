// A small SVG chart of a search over time (`search … --by month --format svg`): one bar per period, the number of
// terms matching, with a title, a y axis of round ticks and as many period labels as fit. Plain SVG 1.1 text: it
// opens in any browser and renders on GitHub.
import { escapeHtml } from './change.js';
import type { SeriesRow } from './search-summary.js';

const WIDTH = 760;
const HEIGHT = 360;
const MARGIN = { top: 48, right: 20, bottom: 56, left: 56 };

/** A tick step of 1, 2 or 5 × 10ⁿ giving at most `count` ticks up to `max`. */
function tickStep(max: number, count: number): number {
  const raw = Math.max(1, max) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(factor => factor * power).find(candidate => candidate >= raw) ?? 10 * power;
  return Math.max(1, step);
}

export function seriesChart(rows: readonly SeriesRow[], title: string): string {
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const step = tickStep(Math.max(0, ...rows.map(row => row.terms)), 5);
  const top = Math.max(step, Math.ceil(Math.max(0, ...rows.map(row => row.terms)) / step) * step);
  const y = (value: number): number => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const slot = plotWidth / Math.max(1, rows.length);
  const labelEvery = Math.max(1, Math.ceil(rows.length / Math.floor(plotWidth / 64)));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="bold">${escapeHtml(title)}</text>`,
  ];
  for (let tick = 0; tick <= top; tick += step) {
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${tick}</text>`);
  }
  rows.forEach((row, at) => {
    const x = MARGIN.left + at * slot;
    const barTop = y(row.terms);
    parts.push(`<rect x="${(x + slot * 0.15).toFixed(1)}" y="${barTop.toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(MARGIN.top + plotHeight - barTop).toFixed(1)}" fill="#3867d6"><title>${escapeHtml(`${row.period}: ${row.terms} terms, ${row.services} services`)}</title></rect>`);
    if (at % labelEvery === 0) {
      parts.push(`<text x="${(x + slot / 2).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle">${escapeHtml(row.period)}</text>`);
    }
  });
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}" stroke="#333"/>`);
  parts.push(`<text x="${MARGIN.left}" y="${HEIGHT - 12}" fill="#555">Terms whose version in force at the end of each period matches</text>`);
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
