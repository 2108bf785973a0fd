/**
 * A conv layer's filters: RGB tiles when the layer reads three channels (a
 * first layer's edge and colour detectors show as such), otherwise a grid of
 * filters × input channels in a diverging map centred on zero, plus the
 * histogram of all its weights.
 * @module
 */
import type { FilterSet } from '../../client/run-data';
import { colormapLut } from '../../graph/colormap';
import { dequantize } from '../../graph/dequantize';
import { formatNumber, formatShape } from '../../graph/labels';

const MAX_ROWS = 16;
const MAX_COLS = 16;
const MAX_RGB = 64;

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
  const gap = 2;
  const rows = Math.ceil(tiles.length / cols);
  const out = document.createElement('canvas');
  out.className = 'filter-grid';
  out.dataset['testid'] = 'filter-grid';
  out.width = cols * (tile + gap) - gap;
  out.height = rows * (tile + gap) - gap;
  const ctx = out.getContext('2d');
  if (ctx === null) return out;
  ctx.imageSmoothingEnabled = false;
  tiles.forEach((t, i) => ctx.drawImage(t, (i % cols) * (tile + gap), Math.floor(i / cols) * (tile + gap), tile, tile));
  return out;
}

function histogram(set: FilterSet, width: number): HTMLCanvasElement {
  const { edges, counts } = set.meta.histogram;
  const c = document.createElement('canvas');
  c.className = 'filter-histogram';
  const h = 56;
  c.width = width * 2;
  c.height = h * 2;
  c.style.width = `${width}px`;
  const ctx = c.getContext('2d');
  if (ctx === null || counts.length === 0) return c;
  ctx.scale(2, 2);
  const top = Math.max(1, ...counts);
  const [lo, hi] = [edges[0] ?? 0, edges[edges.length - 1] ?? 1];
  const bw = width / counts.length;
  counts.forEach((n, i) => {
    const mid = ((edges[i] ?? 0) + (edges[i + 1] ?? 0)) / 2;
    ctx.fillStyle = mid < 0 ? '#6788ee' : '#e26952';
    const bh = (n / top) * (h - 4);
    ctx.fillRect(i * bw, h - bh, Math.max(1, bw - 1), bh);
  });
  if (lo < 0 && hi > 0) {
    ctx.fillStyle = '#1f2937';
    ctx.fillRect(((0 - lo) / (hi - lo)) * width, 0, 1, h);
  }
  return c;
}

/** Fill `el` with the filters of `set`, `width` CSS px wide. */
export function renderFilters(el: HTMLElement, set: FilterSet, width: number): void {
  const [o = 1, inputs = 1, kh = 1, kw = 1] = set.meta.shape;
  const { min, max } = set.meta;
  const value = (f: number, c: number, i: number) => dequantize(set.bytes[((f * inputs + c) * kh * kw) + i] ?? 0, min, max);
  const lut = colormapLut('coolwarm');
  const bound = Math.max(Math.abs(min), Math.abs(max)) || 1;
  let grid: HTMLCanvasElement;
  let caption: string;
  if (inputs === 3) {
    const n = Math.min(o, MAX_RGB);
    const tiles = Array.from({ length: n }, (_, f) =>
      tileCanvas(kw, kh, (i, px) => {
        for (let ch = 0; ch < 3; ch++) px[ch] = ((value(f, ch, i) - min) / (max - min || 1)) * 255;
        px[3] = 255;
      }),
    );
    const cols = Math.min(n, 8);
    grid = drawTiles(tiles, cols, Math.max(8, Math.min(40, Math.floor(width / cols) - 2)));
    caption = `${n} of ${o} filters as RGB (input channels 0–2)`;
  } else {
    const [rows, cols] = [Math.min(o, MAX_ROWS), Math.min(inputs, MAX_COLS)];
    const tiles: HTMLCanvasElement[] = [];
    for (let f = 0; f < rows; f++) {
      for (let c = 0; c < cols; c++) {
        tiles.push(tileCanvas(kw, kh, (i, px) => {
          const at = Math.round(Math.min(1, Math.max(0, 0.5 + value(f, c, i) / (2 * bound))) * 255) * 3;
          px.set([lut[at] ?? 0, lut[at + 1] ?? 0, lut[at + 2] ?? 0, 255]);
        }));
      }
    }
    grid = drawTiles(tiles, cols, Math.max(6, Math.min(28, Math.floor(width / cols) - 2)));
    caption = `rows: ${rows} of ${o} filters · columns: ${cols} of ${inputs} input channels · blue < 0 < red`;
  }
  grid.style.maxWidth = `${width}px`;
  const note = document.createElement('div');
  note.className = 'map-note';
  note.textContent = `${formatShape(set.meta.shape)} · ${caption}`;
  const range = document.createElement('div');
  range.className = 'map-note';
  range.textContent = `weights ${formatNumber(min)} … ${formatNumber(max)}`;
  el.replaceChildren(grid, note, histogram(set, width), range);
}
