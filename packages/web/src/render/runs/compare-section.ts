/**
 * The panel's compare of runs A and B: the layer's figures, and A, B and A − B for the
 * channels that changed most.
 * @module
 */
import type { CompareResult, LayerNode } from '@cnnvis/protocol';
import type { RunsApi } from '../../client/runs-api';
import type { RunData } from '../../client/run-data';
import { colormapGradient, colormapLut } from '../../graph/colormap';
import { mapTiles } from '../../graph/channel-grid';
import { channelDiff, toRgba } from '../../graph/diff-map';
import { formatNumber } from '../../graph/labels';
import { runName } from './run-slider';
import { element, imageCanvas } from '../../dom';

export interface CompareSectionOptions {
  result: CompareResult;
  runData: RunData;
  runs: RunsApi;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : formatNumber(v));

function canvasOf(pixels: Uint8ClampedArray<ArrayBuffer>, w: number, h: number, size: number, title: string): HTMLCanvasElement {
  const canvas = imageCanvas(pixels, w, h);
  canvas.className = 'diff-tile';
  canvas.title = title;
  canvas.style.width = `${size}px`;
  canvas.style.height = `${Math.max(1, Math.round((size * h) / w))}px`;
  return canvas;
}

/** A row per channel: A, B, A − B. Fetches one page of each run's map per channel. */
async function drawChannels(body: HTMLElement, opts: CompareSectionOptions, layerId: string, tensorA: string, width: number): Promise<void> {
  const { result, runData, runs } = opts;
  const layer = result.layers.find((l) => l.id === layerId);
  if (!layer) return;
  const detailB = await runs.detail(result.b.runId);
  const tensorB = detailB.run.layers.find((l) => l.node === layerId)?.tensor ?? tensorA;
  const size = Math.max(24, Math.floor((width - 60) / 3));
  for (const { channel, meanAbsDiff } of layer.channels) {
    const flat = layer.shape.length < 3;
    const [ma, mb] = await Promise.all([
      flat ? runData.map(result.a.runId, tensorA) : runData.map(result.a.runId, tensorA, channel, 1),
      flat ? runData.map(result.b.runId, tensorB) : runData.map(result.b.runId, tensorB, channel, 1),
    ]);
    const t = mapTiles(ma.meta.shape);
    const channelOf = (m: typeof ma) => ({ bytes: m.bytes.subarray(0, t.size), min: m.meta.channelMin[channel] ?? 0, max: m.meta.channelMax[channel] ?? 0 });
    const d = channelDiff(channelOf(ma), channelOf(mb));
    const pad = (v: Float32Array) => (v.length === t.h * t.w ? v : Float32Array.from({ length: t.h * t.w }, (_, i) => v[i] ?? 0));
    const seq = colormapLut('viridis');
    const row = element('div', 'diff-row');
    row.dataset['channel'] = String(channel);
    const label = element('div', 'diff-label', { text: `ch ${channel} · mean |A−B| ${fmt(meanAbsDiff)} · max |A−B| ${fmt(d.limit)}` });
    row.append(
      label,
      canvasOf(toRgba(pad(d.a), seq, d.lo, d.hi), t.w, t.h, size, `A, channel ${channel}`),
      canvasOf(toRgba(pad(d.b), seq, d.lo, d.hi), t.w, t.h, size, `B, channel ${channel}`),
      canvasOf(toRgba(pad(d.diff), colormapLut('coolwarm'), -d.limit, d.limit), t.w, t.h, size, `A − B, channel ${channel}: blue where B is higher, red where A is`),
    );
    row.querySelectorAll('canvas')[2]?.setAttribute('data-testid', 'diff-map');
    body.append(row);
  }
}

/**
 * @example
 * panelBody.append(compareSection({ result, runData, runs }, layer, 320));
 */
export function compareSection(opts: CompareSectionOptions, layer: LayerNode | undefined, width: number): HTMLElement {
  const el = element('section', 'panel-section compare-section', { testid: 'panel-compare' });
  const { result } = opts;
  const h = element('h4', '', { text: 'Compare A → B' });
  const names = element('div', 'compare-names', { text: `A: ${runName(result.a)}  ·  B: ${runName(result.b)}` });
  el.append(h, names);
  const found = layer && result.layers.find((l) => l.id === layer.id);
  const figures = element('div', 'compare-figures');
  if (!layer || !found) {
    const why = layer && result.unmatched.find((u) => u.id === layer.id);
    figures.textContent = why ? `Not compared: ${why.reason}` : 'Not compared: no stored output in both runs';
    el.append(figures);
    return el;
  }
  const weights = found.weightRelL2 === undefined ? '' : ` · weights ‖ΔW‖/‖W‖ ${fmt(found.weightRelL2)}`;
  figures.textContent = `cosine ${fmt(found.cosine)} · ‖A−B‖/‖A‖ ${fmt(found.relL2)} · mean |A−B| ${fmt(found.meanAbsDiff)}${weights}`;
  const ramp = element('div', 'compare-ramp');
  ramp.innerHTML = '<span>A</span><span>B</span><span>A − B</span>';
  ramp.style.setProperty('--diverging', colormapGradient('coolwarm'));
  const body = document.createElement('div');
  el.append(figures, ramp, body);
  drawChannels(body, opts, layer.id, found.tensor, width).catch((err: unknown) => {
    body.textContent = `Maps unavailable: ${err instanceof Error ? err.message : String(err)}`;
  });
  return el;
}
