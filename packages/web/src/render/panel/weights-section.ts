/**
 * The panel's weights: each with its shape, and for a conv its filters (RGB tiles for three
 * inputs, else filters × inputs centred on zero) and histogram; a click prints a kernel.
 * @module
 */
import type { GraphContent, LayerNode } from '@cnnvis/protocol';
import type { FilterSet, RunData } from '../../client/run-data';
import { colormapLut } from '../../graph/colormap';
import { dequantize } from '../../graph/dequantize';
import { formatNumber, formatShape } from '../../graph/labels';
import { weightHistogram } from './weight-histogram';
import { element, imageCanvas } from '../../dom';

const MAX_ROWS = 16;
const MAX_COLS = 16;
const MAX_RGB = 64;
/** Gap between tiles, in grid pixels. */
const GAP = 2;

function tileCanvas(kw: number, kh: number, fill: (i: number, px: Uint8ClampedArray) => void): HTMLCanvasElement {
  const pixels = new Uint8ClampedArray(kw * kh * 4);
  for (let i = 0; i < kw * kh; i++) fill(i, pixels.subarray(i * 4, i * 4 + 4));
  return imageCanvas(pixels, kw, kh);
}

function drawTiles(tiles: HTMLCanvasElement[], cols: number, tile: number): HTMLCanvasElement {
  const rows = Math.ceil(tiles.length / cols);
  const out = element('canvas', 'filter-grid', { testid: 'filter-grid' });
  out.width = cols * (tile + GAP) - GAP;
  out.height = rows * (tile + GAP) - GAP;
  const ctx = out.getContext('2d');
  if (ctx === null) return out;
  ctx.imageSmoothingEnabled = false;
  tiles.forEach((t, i) => ctx.drawImage(t, (i % cols) * (tile + GAP), Math.floor(i / cols) * (tile + GAP), tile, tile));
  return out;
}

/** The tile under a pointer event: its row and column in the grid, or null between tiles. */
function tileAt(grid: HTMLCanvasElement, e: MouseEvent, tile: number): { row: number; col: number } | null {
  const r = grid.getBoundingClientRect();
  const x = ((e.clientX - r.left) / r.width) * grid.width;
  const y = ((e.clientY - r.top) / r.height) * grid.height;
  const [col, row] = [Math.floor(x / (tile + GAP)), Math.floor(y / (tile + GAP))];
  if (x - col * (tile + GAP) >= tile || y - row * (tile + GAP) >= tile) return null;
  return { row, col };
}

/** Fill `el` with the filters of `set`, `width` CSS px wide; a click on a filter prints its kernel. */
function renderFilters(el: HTMLElement, set: FilterSet, width: number): void {
  const [o = 1, inputs = 1, kh = 1, kw = 1] = set.meta.shape;
  const { min, max } = set.meta;
  const value = (f: number, c: number, i: number) => dequantize(set.bytes[((f * inputs + c) * kh * kw) + i] ?? 0, min, max);
  const lut = colormapLut('coolwarm');
  const bound = Math.max(Math.abs(min), Math.abs(max)) || 1;
  const diverging = (v: number) => Math.round(Math.min(1, Math.max(0, 0.5 + v / (2 * bound))) * 255) * 3;
  let grid: HTMLCanvasElement;
  let caption: string;
  let tile: number;
  let cols: number;
  let pick: (row: number, col: number) => { f: number; channels: number[] } | null;
  if (inputs === 3) {
    const n = Math.min(o, MAX_RGB);
    const tiles = Array.from({ length: n }, (_, f) =>
      tileCanvas(kw, kh, (i, px) => {
        for (let ch = 0; ch < 3; ch++) px[ch] = ((value(f, ch, i) - min) / (max - min || 1)) * 255;
        px[3] = 255;
      }),
    );
    cols = Math.min(n, 8);
    tile = Math.max(8, Math.min(40, Math.floor(width / cols) - 2));
    grid = drawTiles(tiles, cols, tile);
    caption = `${n} of ${o} filters as RGB (input channels 0–2)`;
    pick = (row, col) => (row * cols + col < n ? { f: row * cols + col, channels: [0, 1, 2] } : null);
  } else {
    const rows = Math.min(o, MAX_ROWS);
    cols = Math.min(inputs, MAX_COLS);
    const tiles: HTMLCanvasElement[] = [];
    for (let f = 0; f < rows; f++) {
      for (let c = 0; c < cols; c++) {
        tiles.push(tileCanvas(kw, kh, (i, px) => {
          const at = diverging(value(f, c, i));
          px.set([lut[at] ?? 0, lut[at + 1] ?? 0, lut[at + 2] ?? 0, 255]);
        }));
      }
    }
    tile = Math.max(6, Math.min(28, Math.floor(width / cols) - 2));
    grid = drawTiles(tiles, cols, tile);
    caption = `rows: ${rows} of ${o} filters · columns: ${cols} of ${inputs} input channels · blue < 0 < red`;
    pick = (row, col) => (row < rows && col < cols ? { f: row, channels: [col] } : null);
  }
  grid.style.maxWidth = `${width}px`;
  grid.title = 'Click a filter to print its kernel';
  const note = element('div', 'map-note', { text: `${formatShape(set.meta.shape)} · ${caption} · click a filter for its values` });
  const zoom = document.createElement('div');
  const colour = (v: number) => {
    const at = diverging(v);
    return `rgb(${lut[at] ?? 0} ${lut[at + 1] ?? 0} ${lut[at + 2] ?? 0} / 0.6)`;
  };
  grid.addEventListener('click', (e) => {
    const at = tileAt(grid, e, tile);
    const picked = at && pick(at.row, at.col);
    if (!picked) return;
    const rgb = picked.channels.length === 3;
    const planes = picked.channels.map((c) => ({
      label: rgb ? `input ${'RGB'[c] ?? c}` : '',
      values: Array.from({ length: kh * kw }, (_, i) => value(picked.f, c, i)),
    }));
    const title = rgb ? `filter ${picked.f}` : `filter ${picked.f} · input channel ${picked.channels[0] ?? 0}`;
    zoom.replaceChildren(renderKernel({ title, planes, kh, kw, error: (max - min) / 510, colour }));
  });
  const range = element('div', 'map-note', { text: `weights ${formatNumber(min)} … ${formatNumber(max)}` });
  el.replaceChildren(grid, note, zoom, weightHistogram(set.meta.histogram, width), range);
}

interface KernelView {
  /** e.g. `filter 3 · input channel 5`. */
  title: string;
  /** One kh×kw plane per input shown (three for an RGB first layer), row-major. */
  planes: Array<{ label: string; values: number[] }>;
  kh: number;
  kw: number;
  /** Half the quantisation step: how far a printed value may be from the weight. */
  error: number;
  /** The value → CSS colour of the grid it was picked from. */
  colour(value: number): string;
}

/** The largest kernel side printed cell by cell; bigger ones show their top-left corner. */
const MAX_SIDE = 12;

/**
 * One filter's kernel, enlarged with its values printed in the cells: what a
 * click on a filter tile opens. Values are the stored bytes dequantised over
 * the whole weight tensor's range, so each is within half a step of the weight.
 * @example el.replaceChildren(renderKernel({ title: 'filter 0 · input 0', planes: [{ label: '', values }], kh: 3, kw: 3, error: 0.001, colour }));
 */
function renderKernel(k: KernelView): HTMLElement {
  const el = element('div', 'kernel-zoom', { testid: 'kernel-zoom' });
  const head = element('div', 'kernel-title', { text: `${k.title} · ${k.kh}×${k.kw}${k.kh > MAX_SIDE || k.kw > MAX_SIDE ? ` (top-left ${MAX_SIDE}×${MAX_SIDE})` : ''}` });
  el.append(head);
  const rows = Math.min(k.kh, MAX_SIDE);
  const cols = Math.min(k.kw, MAX_SIDE);
  const planes = element('div', 'kernel-planes');
  for (const plane of k.planes) {
    const box = document.createElement('div');
    const table = element('table', 'kernel-values');
    for (let y = 0; y < rows; y++) {
      const tr = table.insertRow();
      for (let x = 0; x < cols; x++) {
        const v = plane.values[y * k.kw + x] ?? 0;
        const td = tr.insertCell();
        td.textContent = formatNumber(v);
        td.dataset['value'] = String(v);
        td.style.background = k.colour(v);
      }
    }
    if (plane.label) {
      const label = element('div', 'map-note', { text: plane.label });
      box.append(label);
    }
    box.append(table);
    planes.append(box);
  }
  const note = element('div', 'map-note', { text: `values ± ${formatNumber(k.error)} (stored as 8 bits over the layer's weight range)` });
  el.append(planes, note);
  return el;
}

/** Rows of `name · shape` (and `via <node>` for a folded weight). */
function weightList(layer: LayerNode, content: GraphContent): HTMLElement {
  const { graph } = content;
  const stored = new Map(graph.initializers.map((i) => [i.name, i]));
  const edges = new Map(graph.edges.map((e) => [e.tensor, e]));
  const ops = new Map(graph.nodes.map((n) => [n.id, n.op]));
  const list = element('table', 'kv weight-list', { testid: 'weight-list' });
  for (const name of layer.weights) {
    const init = stored.get(name);
    const edge = edges.get(name);
    const row = list.insertRow();
    row.dataset['weight'] = name;
    const th = element('th', '', { text: name });
    th.title = name;
    const td = row.insertCell();
    const shape = formatShape(init?.shape ?? edge?.shape ?? null) || 'shape unknown';
    const dtype = init?.dtype ?? edge?.dtype ?? '';
    const op = edge?.from ? (ops.get(edge.from) ?? '') : '';
    const via = edge?.from ? ` · via ${edge.from}${edge.from.includes(op) ? '' : ` (${op})`}` : '';
    td.textContent = `${shape} ${dtype}${via}`;
    td.title = td.textContent;
    row.prepend(th);
  }
  return list;
}

/**
 * The section for `layer`, or null when it reads no weights.
 * @example const el = weightsSection(layer, content, runData, 320); if (el) scroll.append(el);
 */
export function weightsSection(layer: LayerNode, content: GraphContent, runData: RunData, width: number): HTMLElement | null {
  if (layer.weights.length === 0) return null;
  const el = element('section', 'panel-section', { testid: 'panel-filters' });
  const conv = /Conv/.test(layer.op);
  const body = document.createElement('div');
  el.append(element('h4', '', { text: conv ? 'Filters' : 'Weights' }), weightList(layer, content), body);
  const { run } = content;
  if (run !== null && conv) {
    body.innerHTML = '<div class="skeleton short"></div>';
    runData.filters(run.runId, layer.id).then(
      (set) => renderFilters(body, set, width),
      () => body.replaceChildren(), // this run stored no filters for it
    );
  }
  return el;
}
