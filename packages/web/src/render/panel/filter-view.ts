/**
 * A conv layer's filters: RGB tiles when the layer reads three channels (a
 * first layer's edge and colour detectors show as such), otherwise a grid of
 * filters × input channels in a diverging map centred on zero, plus the
 * histogram of all its weights. A click on a filter prints its kernel's values.
 * @module
 */
import type { FilterSet } from '../../client/run-data';
import { colormapLut } from '../../graph/colormap';
import { dequantize } from '../../graph/dequantize';
import { formatNumber, formatShape } from '../../graph/labels';
import { renderKernel } from './kernel-zoom';
import { weightHistogram } from './weight-histogram';

const MAX_ROWS = 16;
const MAX_COLS = 16;
const MAX_RGB = 64;
/** Gap between tiles, in grid pixels. */
const GAP = 2;

function tileCanvas(kw: number, kh: number, fill: (i: number, px: Uint8ClampedArray) => void): HTMLCanvasElement {
  const image = new ImageData(kw, kh);
  for (let i = 0; i < kw * kh; i++) fill(i, image.data.subarray(i * 4, i * 4 + 4));
  const c = document.createElement('canvas');
  c.width = kw;
  c.height = kh;
  c.getContext('2d')?.putImageData(image, 0, 0);
  return c;
}

function drawTiles(tiles: HTMLCanvasElement[], cols: number, tile: number): HTMLCanvasElement {
  const rows = Math.ceil(tiles.length / cols);
  const out = document.createElement('canvas');
  out.className = 'filter-grid';
  out.dataset['testid'] = 'filter-grid';
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
export function renderFilters(el: HTMLElement, set: FilterSet, width: number): void {
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
  const note = document.createElement('div');
  note.className = 'map-note';
  note.textContent = `${formatShape(set.meta.shape)} · ${caption} · click a filter for its values`;
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
  const range = document.createElement('div');
  range.className = 'map-note';
  range.textContent = `weights ${formatNumber(min)} … ${formatNumber(max)}`;
  el.replaceChildren(grid, note, zoom, weightHistogram(set.meta.histogram, width), range);
}
