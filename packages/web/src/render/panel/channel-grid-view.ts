/**
 * One tensor's channels as tiles on a canvas through the panel's colormap; a click on a
 * tile asks for it to be enlarged.
 * @module
 */
import type { FeatureMap } from '../../client/run-data';
import { colormapLut } from '../../graph/colormap';
import { cellAt, gridGeometry, mapTiles, type GridGeometry } from '../../graph/channel-grid';
import { displayLut, layerRange, paintChannel } from '../../graph/dequantize';
import { formatNumber } from '../../graph/labels';
import { sameBox, type MapBox } from '../../graph/receptive-field';
import type { MapSettings } from './map-settings';
import { element, imageCanvas, outlineRect, sizeCanvas } from '../../dom';

/** Paint channel `c` (of the whole layer; it must lie in the page `map` holds) into a fresh w×h canvas, ready to draw scaled. */
export function channelBitmap(map: FeatureMap, c: number, settings: MapSettings): HTMLCanvasElement {
  const t = mapTiles(map.meta.shape);
  const range = layerRange(map.meta.channelMin, map.meta.channelMax);
  const min = map.meta.channelMin[c] ?? 0;
  const max = map.meta.channelMax[c] ?? 0;
  const pixels = new Uint8ClampedArray(t.w * t.h * 4);
  const bytes = map.bytes.subarray((c - map.first) * t.size, (c - map.first + 1) * t.size);
  // A 1×1 channel (after global pooling) is one value: only the layer's range gives it a level.
  const norm = t.h * t.w === 1 ? 'layer' : settings.norm;
  paintChannel(bytes, displayLut(norm, min, max, range), colormapLut(settings.colormap), pixels);
  return imageCanvas(pixels, t.w, t.h);
}

export interface ChannelGrid {
  readonly el: HTMLCanvasElement;
  redraw(): void;
  /** Outline `box` on every tile (a receptive field), or clear it. */
  outline(box: MapBox | null): void;
}

/**
 * The page's channels as tiles; `onChannel` gets the layer's channel number.
 * @param width CSS px the grid may take
 * @example const grid = createChannelGrid(map, 280, settings, (c) => zoom.show(map, c));
 */
export function createChannelGrid(
  map: FeatureMap,
  width: number,
  settings: MapSettings,
  onChannel: (c: number) => void,
  onHover?: (c: number | null, at?: { x: number; y: number }) => void,
): ChannelGrid {
  const t = { ...mapTiles(map.meta.shape), channels: map.count };
  const el = element('canvas', 'channel-grid', { testid: 'channel-grid' });
  el.dataset['channels'] = String(t.channels);
  el.dataset['first'] = String(map.first);
  // One tile (a flat output such as logits) may take the whole width.
  const maxTile = t.channels === 1 ? width : undefined;
  let geom: GridGeometry = gridGeometry(t, width, 2, maxTile);

  const redraw = () => {
    geom = gridGeometry(t, width, 2, maxTile);
    const ctx = sizeCanvas(el, geom.width, geom.height);
    if (ctx === null) return;
    ctx.imageSmoothingEnabled = geom.tileW < t.w;
    for (let c = 0; c < t.channels; c++) {
      const x = (c % geom.cols) * (geom.tileW + geom.gap);
      const y = Math.floor(c / geom.cols) * (geom.tileH + geom.gap);
      ctx.drawImage(channelBitmap(map, map.first + c, settings), x, y, geom.tileW, geom.tileH);
    }
    if (box) strokeBox(ctx, box);
  };
  let box: MapBox | null = null;
  const strokeBox = (ctx: CanvasRenderingContext2D, b: MapBox) => {
    const [sx, sy] = [geom.tileW / t.w, geom.tileH / t.h];
    for (let c = 0; c < t.channels; c++) {
      const x = (c % geom.cols) * (geom.tileW + geom.gap);
      const y = Math.floor(c / geom.cols) * (geom.tileH + geom.gap);
      outlineRect(ctx, x + b.x0 * sx, y + b.y0 * sy, (b.x1 - b.x0) * sx, (b.y1 - b.y0) * sy, 1.5);
    }
  };
  el.addEventListener('click', (e) => {
    const cell = cellAt(t, geom, e.offsetX, e.offsetY);
    if (cell) onChannel(map.first + cell.channel);
  });
  el.addEventListener('mousemove', (e) => {
    const cell = cellAt(t, geom, e.offsetX, e.offsetY);
    const c = cell ? map.first + cell.channel : -1;
    // The tile's own range: what "per channel" stretches to the colormap's ends.
    el.title = cell ? `channel ${c} · min ${formatNumber(map.meta.channelMin[c])} · max ${formatNumber(map.meta.channelMax[c])} · click to enlarge` : '';
    el.dataset['hover'] = cell ? String(c) : '';
    el.style.cursor = cell ? 'zoom-in' : 'default';
    onHover?.(cell ? c : null, cell ? { x: cell.x, y: cell.y } : undefined);
  });
  el.addEventListener('mouseleave', () => onHover?.(null));
  redraw();
  return {
    el,
    redraw,
    outline(b) {
      // The cursor moves pixel by pixel within one field: repaint only when it changes.
      if (sameBox(b, box)) return;
      box = b;
      el.dataset['outline'] = b ? `${b.x0},${b.y0},${b.x1},${b.y1}` : '';
      redraw();
    },
  };
}
