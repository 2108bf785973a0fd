/**
 * A layer's numbers: output statistics (dead channels after a ReLU counted), attributes and
 * its tensors.
 * @module
 */
import type { LayerNode, LayerResult } from '@cnnvis/protocol';
import { formatCount, formatNumber, formatShape } from '../../graph/labels';
import { element } from '../../dom';

/** A channel that is zero this often is counted as dead. */
const DEAD = 0.99;

function table(rows: Array<[string, string]>, testid: string): HTMLTableElement {
  const t = element('table', 'kv', { testid });
  for (const [k, v] of rows) {
    const tr = t.insertRow();
    const th = element('th', '', { text: k });
    const td = tr.insertCell();
    td.textContent = v;
    td.title = v;
    tr.prepend(th);
  }
  return t;
}

function channelBars(result: LayerResult, width: number): HTMLCanvasElement {
  const means = result.channels.map((c) => c.mean ?? 0);
  const c = element('canvas', 'channel-bars');
  const h = 48;
  c.width = width * 2;
  c.height = h * 2;
  c.style.width = `${width}px`;
  const ctx = c.getContext('2d');
  if (ctx === null || means.length === 0) return c;
  ctx.scale(2, 2);
  const lo = Math.min(0, ...means);
  const hi = Math.max(0, ...means);
  const y = (v: number) => h - 2 - ((v - lo) / (hi - lo || 1)) * (h - 4);
  const bw = width / means.length;
  means.forEach((m, i) => {
    const dead = (result.channels[i]?.zeros ?? 0) >= DEAD;
    ctx.fillStyle = dead ? '#cbd5e1' : m < 0 ? '#6788ee' : '#2563eb';
    ctx.fillRect(i * bw, Math.min(y(0), y(m)), Math.max(1, bw - (bw > 3 ? 1 : 0)), Math.max(1, Math.abs(y(m) - y(0))));
  });
  return c;
}

const attr = (v: LayerNode['attributes'][string]) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));

/** Fill `el` with the statistics and attributes of `layer`. */
export function renderStats(el: HTMLElement, layer: LayerNode | null, result: LayerResult | undefined, width: number): void {
  const parts: HTMLElement[] = [];
  if (result) {
    const s = result.stats;
    parts.push(table([
      ['output', `${formatShape(result.shape)}`],
      ['min / max', `${formatNumber(s.min)} / ${formatNumber(s.max)}`],
      ['mean ± std', `${formatNumber(s.mean)} ± ${formatNumber(s.std)}`],
      ['zeros', `${(s.zeros * 100).toFixed(1)}%`],
      ['NaN / Inf', `${s.nan} / ${s.inf}`],
    ], 'layer-stats'));
    if (result.channels.length > 0) {
      const dead = result.channels.filter((c) => c.zeros >= DEAD).length;
      const cap = element('div', 'map-note', { text: `per-channel mean · ${dead} of ${result.channels.length} channels dead (≥ ${DEAD * 100}% zeros, grey)` });
      parts.push(channelBars(result, width), cap);
    }
  } else {
    const none = element('div', 'map-missing', { text: 'No statistics: this layer was not in the run.' });
    parts.push(none);
  }
  if (layer) {
    const rows: Array<[string, string]> = Object.entries(layer.attributes).map(([k, v]) => [k, attr(v)]);
    if (layer.params > 0) rows.unshift(['parameters', `${formatCount(layer.params)} (${layer.params.toLocaleString('en')})`]);
    rows.push(['inputs', layer.inputs.join(', ') || '—'], ['weights', layer.weights.join(', ') || '—'], ['outputs', layer.outputs.join(', ')]);
    const h = element('h4', '', { text: 'Attributes' });
    parts.push(h, table(rows, 'layer-attributes'));
  }
  el.replaceChildren(...parts);
}
