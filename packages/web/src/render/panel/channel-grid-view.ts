/**
 * One tensor's channels as a grid of tiles on a canvas, coloured through the
 * panel's colormap and normalisation. Small maps are scaled up crisp, big
 * ones down smooth. Clicking a tile asks for it to be enlarged.
 * @module
 */
import type { FeatureMap } from '../../client/run-data';
import { colormapLut } from '../../graph/colormap';
import { cellAt, gridGeometry, mapTiles, type GridGeometry } from '../../graph/channel-grid';
import { displayLut, layerRange, paintChannel } from '../../graph/dequantize';
import type { MapSettings } from './map-settings';

/** Paint channel `c` of `map` into a fresh w×h canvas, ready to draw scaled. */
export function channelBitmap(map: FeatureMap, c: number, settings: MapSettings): HTMLCanvasElement {
  const t = mapTiles(map.meta.shape);
  const range = layerRange(map.meta.channelMin, map.meta.channelMax);
  const min = map.meta.channelMin[c] ?? 0;
  const max = map.meta.channelMax[c] ?? 0;
  const image = new ImageData(t.w, t.h);
  const bytes = map.bytes.subarray(c * t.size, (c + 1) * t.size);
  // A 1×1 channel (after global pooling) is one value: only the layer's range gives it a level.
  const norm = t.h * t.w === 1 ? 'layer' : settings.norm;
  paintChannel(bytes, displayLut(norm, min, max, range), colormapLut(settings.colormap), image.data);
  const canvas = document.createElement('canvas');
  canvas.width = t.w;
  canvas.height = t.h;
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  return canvas;
}

export interface ChannelGrid {
  readonly el: HTMLCanvasElement;
  redraw(): void;
}

/**
 * @param width CSS px the grid may take
 * @example const grid = createChannelGrid(map, 280, settings, (c) => zoom.show(map, c));
 */
export function createChannelGrid(map: FeatureMap, width: number, settings: MapSettings, onChannel: (c: number) => void): ChannelGrid {
  const t = mapTiles(map.meta.shape);
  const el = document.createElement('canvas');
  el.className = 'channel-grid';
  el.dataset['testid'] = 'channel-grid';
  el.dataset['channels'] = String(t.channels);
  // One tile (a flat output such as logits) may take the whole width.
  const maxTile = t.channels === 1 ? width : undefined;
  let geom: GridGeometry = gridGeometry(t, width, 2, maxTile);

  const redraw = () => {
    geom = gridGeometry(t, width, 2, maxTile);
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    el.width = Math.round(geom.width * dpr);
    el.height = Math.round(geom.height * dpr);
    el.style.width = `${geom.width}px`;
    el.style.height = `${geom.height}px`;
    const ctx = el.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = geom.tileW < t.w;
    for (let c = 0; c < t.channels; c++) {
      const x = (c % geom.cols) * (geom.tileW + geom.gap);
      const y = Math.floor(c / geom.cols) * (geom.tileH + geom.gap);
      ctx.drawImage(channelBitmap(map, c, settings), x, y, geom.tileW, geom.tileH);
    }
  };
  el.addEventListener('click', (e) => {
    const cell = cellAt(t, geom, e.offsetX, e.offsetY);
    if (cell) onChannel(cell.channel);
  });
  el.addEventListener('mousemove', (e) => {
    const cell = cellAt(t, geom, e.offsetX, e.offsetY);
    el.title = cell ? `channel ${cell.channel} · click to enlarge` : '';
    el.style.cursor = cell ? 'zoom-in' : 'default';
  });
  redraw();
  return { el, redraw };
}
