/**
 * A layer's weight histogram with axes, and a bin's range and count under the pointer.
 * @module
 */
import { formatNumber } from '../../graph/labels';
import { element } from '../../dom';

const HEIGHT = 96;
const LEFT = 40;
const BOTTOM = 18;
const TOP = 6;

/**
 * @example panel.append(weightHistogram({ edges: [-1, 0, 1], counts: [3, 5] }, 320));
 */
export function weightHistogram(h: { edges: number[]; counts: number[] }, width: number): HTMLElement {
  const wrap = element('div', 'weight-histogram', { testid: 'weight-histogram' });
  const c = element('canvas', 'filter-histogram');
  c.width = width * 2;
  c.height = HEIGHT * 2;
  c.style.width = `${width}px`;
  const readout = element('div', 'map-note', { text: 'Point at a bar for its count', testid: 'histogram-readout' });
  wrap.append(c, readout);
  const { edges, counts } = h;
  const ctx = c.getContext('2d');
  if (ctx === null || counts.length === 0) return wrap;
  ctx.scale(2, 2);
  const top = Math.max(1, ...counts);
  const [lo, hi] = [edges[0] ?? 0, edges[edges.length - 1] ?? 1];
  const plotW = width - LEFT - 4;
  const plotH = HEIGHT - BOTTOM - TOP;
  const xOf = (v: number) => LEFT + ((v - lo) / (hi - lo || 1)) * plotW;
  const bw = plotW / counts.length;
  counts.forEach((n, i) => {
    const mid = ((edges[i] ?? 0) + (edges[i + 1] ?? 0)) / 2;
    ctx.fillStyle = mid < 0 ? '#6788ee' : '#e26952';
    const bh = (n / top) * plotH;
    ctx.fillRect(LEFT + i * bw, TOP + plotH - bh, Math.max(1, bw - 1), bh);
  });
  // Axes, ticks and their numbers.
  ctx.fillStyle = '#64748b';
  ctx.fillRect(LEFT - 1, TOP, 1, plotH + 1);
  ctx.fillRect(LEFT - 1, TOP + plotH, plotW + 1, 1);
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText(top.toLocaleString('en'), LEFT - 4, TOP + 4);
  ctx.fillText('0', LEFT - 4, TOP + plotH);
  ctx.textBaseline = 'top';
  const ticks: Array<[number, CanvasTextAlign]> = [[lo, 'left'], [hi, 'right']];
  if (lo < 0 && hi > 0) ticks.push([0, 'center']);
  for (const [v, align] of ticks) {
    ctx.textAlign = align;
    ctx.fillRect(xOf(v), TOP + plotH, 1, 3);
    ctx.fillText(v === 0 ? '0' : formatNumber(v), xOf(v), TOP + plotH + 5);
  }
  if (lo < 0 && hi > 0) {
    ctx.fillStyle = '#1f2937';
    ctx.fillRect(xOf(0), TOP, 1, plotH);
  }
  c.addEventListener('mousemove', (e) => {
    const r = c.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * width;
    const i = Math.floor((x - LEFT) / bw);
    if (i < 0 || i >= counts.length) return;
    const n = counts[i] ?? 0;
    readout.textContent = `[${formatNumber(edges[i] ?? 0)}, ${formatNumber(edges[i + 1] ?? 0)}): ${n.toLocaleString('en')} weight${n === 1 ? '' : 's'}`;
    readout.dataset['bin'] = String(i);
    readout.dataset['count'] = String(n);
  });
  return wrap;
}
