/**
 * Dataset statistics as panes, with no worker: a table of the layers with
 * their dead channels (listed), zeros, saturation and NaN/Inf counts, and a
 * bar plot of each layer's fraction of dead channels.
 * @module
 */
import type { DatasetLayerStats, PlotContent } from '@cnnvis/protocol';
import type { DatasetLayer } from '@cnnvis/worker/pool';

/** Channels listed by index per layer before the rest are counted. */
const LISTED = 32;

const finiteOrNull = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));

/** The worker's totals as the result's plain numbers, with each channel's top-k inputs. */
export function layerStats(l: DatasetLayer, k: number): DatasetLayerStats {
  const deadChannels = Array.from(l.dead).flatMap((d, c) => (d === 1 ? [c] : []));
  const top = Array.from({ length: l.dead.length }, (_, c) => Array.from(l.top.subarray(c * k, (c + 1) * k)).filter((i) => i >= 0));
  const topMean = top.map((t, c) => Array.from(l.topMean?.subarray(c * k, c * k + t.length) ?? []));
  const bound = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    node: l.node, op: l.op, tensor: l.tensor, shape: l.shape,
    min: finiteOrNull(l.min), max: finiteOrNull(l.max), mean: finiteOrNull(l.mean), std: finiteOrNull(l.std),
    zeros: Array.from(l.zeros), dead: Array.from(l.dead), deadChannels,
    ...(l.bounds === undefined || l.saturated === undefined ? {} : { bounds: [bound(l.bounds[0]), bound(l.bounds[1])] as [number | null, number | null], saturated: Array.from(l.saturated) }),
    nan: Array.from(l.nan), inf: Array.from(l.inf), top, topMean,
  };
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const avg = (a: readonly number[]) => (a.length === 0 ? 0 : a.reduce((x, y) => x + y, 0) / a.length);

/** The text pane: one row per layer, dead channels listed. */
export function datasetTable(layers: readonly DatasetLayerStats[], inputs: number): string {
  const rows = layers.map((l) => {
    const listed = `${l.deadChannels.slice(0, LISTED).join(', ')}${l.deadChannels.length > LISTED ? ', …' : ''}`;
    const dead = l.deadChannels.length === 0 ? '—' : `${l.deadChannels.length} of ${l.dead.length} (${l.deadChannels.length === 1 ? 'channel' : 'channels'} ${listed})`;
    const sat = l.saturated === undefined ? '—' : pct(avg(l.saturated));
    const bad = avg(l.nan) + avg(l.inf) === 0 ? '0' : `${l.nan.reduce((a, b) => a + b, 0)} / ${l.inf.reduce((a, b) => a + b, 0)}`;
    return `<tr><td>${escape(l.node)}</td><td>${escape(l.op)}</td><td>${dead}</td><td>${pct(avg(l.zeros))}</td><td>${sat}</td><td>${bad}</td></tr>`;
  });
  const deadTotal = layers.reduce((n, l) => n + l.deadChannels.length, 0);
  return [
    `<p>${inputs} inputs · ${layers.length} layers · ${deadTotal} channels dead on every input</p>`,
    '<table><tr><th>layer</th><th>op</th><th>dead channels</th><th>zeros</th><th>saturated</th><th>NaN / Inf</th></tr>',
    ...rows,
    '</table>',
  ].join('');
}

/** Each layer's fraction of channels dead on every input, as bars. */
export function deadPlot(layers: readonly DatasetLayerStats[]): PlotContent {
  return {
    kind: 'plot',
    traces: [{ name: 'dead channels', type: 'bar', x: layers.map((l) => l.node), y: layers.map((l) => l.deadChannels.length / Math.max(1, l.dead.length)) }],
    layout: { yaxis: { title: { text: 'fraction of channels dead' }, range: [0, 1] } },
  };
}
