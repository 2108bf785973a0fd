/**
 * A tensor's maps in the panel: a page of channels, a pager that fetches each page when
 * turned to, the hovered tile's range, a colour bar, or a plain note when nothing was stored.
 * @module
 */
import type { FeatureMap, RunData } from '../../client/run-data';
import { ClientRequestError } from '../../client/types';
import { mapTiles } from '../../graph/channel-grid';
import { layerRange } from '../../graph/dequantize';
import { formatNumber, formatShape } from '../../graph/labels';
import type { MapBox } from '../../graph/receptive-field';
import { createChannelGrid, type ChannelGrid } from './channel-grid-view';
import { createColorBar } from './color-bar';
import type { MapSettings } from './map-settings';
import { button, element } from '../../dom';

/** Channels per page: 64 tiles still read at a panel column's width. */
export const PAGE_CHANNELS = 64;

export interface MapBlockOptions {
  runData: RunData;
  runId: string;
  tensor: string;
  /** The tensor's full shape from the run (the stored map may hold fewer channels). */
  shape: readonly number[] | null;
  role: 'input' | 'output';
  /** CSS px the grid may take. */
  width: number;
  settings: MapSettings;
  onChannel(map: FeatureMap, channel: number): void;
  /** The cursor is on pixel `at` of a tile (null: it left), for receptive fields. */
  onPoint?(map: FeatureMap, at: { x: number; y: number } | null): void;
}

export interface MapBlock {
  readonly el: HTMLElement;
  redraw(): void;
  /** Outline a region (map pixels) on every tile, or clear it. */
  outline(box: MapBox | null): void;
  /** The page shown, once loaded. */
  current(): FeatureMap | undefined;
}

/** `first 64 of 128 channels`, `130 channels`, `1000 values`. */
function countNote(map: FeatureMap, shape: readonly number[] | null): string {
  const tiles = mapTiles(map.meta.shape);
  if (map.meta.shape.length < 3) return `${tiles.size} values`;
  const total = shape && shape.length >= 3 ? shape[1] ?? tiles.channels : tiles.channels;
  const stored = tiles.channels;
  const note = total > stored ? `${stored} of ${total} channels stored (the run's maxChannels or maxMapBytes)` : `${stored} channel${stored === 1 ? '' : 's'}`;
  return tiles.h * tiles.w === 1 && stored > 1 ? `${note} · 1×1: shown on the layer range` : note;
}

/** @example column.append(createMapBlock({ runData, runId, tensor, shape, role: 'output', width: 260, settings, onChannel }).el); */
export function createMapBlock(o: MapBlockOptions): MapBlock {
  const el = element('div', 'map-block loading', { testid: `maps-${o.role}` });
  el.dataset['tensor'] = o.tensor;
  const head = element('div', 'map-head');
  const name = element('span', 'map-name', { text: o.tensor });
  name.title = o.tensor;
  const shape = element('span', 'map-shape', { text: o.shape ? formatShape(o.shape) : '' });
  head.append(name, shape);
  const body = element('div', 'map-body');
  body.innerHTML = '<div class="skeleton"></div>';
  el.append(head, body);
  const frame = document.createElement('div');
  const hover = element('div', 'map-hover', { testid: 'tile-range' });
  const pager = element('div', 'map-pager');
  const [prev, label, next] = [button('', '‹', 'Previous channels'), element('span', '', { testid: 'page-label' }), button('', '›', 'Next channels')];
  prev.dataset['testid'] = 'page-prev';
  next.dataset['testid'] = 'page-next';
  pager.append(prev, label, next);
  const bar = createColorBar(o.settings);
  const note = element('div', 'map-note');
  let grid: ChannelGrid | undefined;
  let page: FeatureMap | undefined;
  let box: MapBox | null = null;

  const paintBar = () => {
    if (!page) return;
    const layer = layerRange(page.meta.channelMin, page.meta.channelMax);
    if (o.settings.norm === 'layer' || mapTiles(page.meta.shape).channels === 1) bar.set(layer, 'colour = value, on the range of the stored channels');
    else bar.set(null, `per channel: each tile spans its own min … max (layer ${formatNumber(layer.min)} … ${formatNumber(layer.max)})`);
  };
  const onHover = (c: number | null, at?: { x: number; y: number }) => {
    if (page) o.onPoint?.(page, at ?? null);
    if (!page || c === null) {
      hover.textContent = '';
      delete hover.dataset['channel'];
      return;
    }
    hover.dataset['channel'] = String(c);
    hover.textContent = `channel ${c}: min ${formatNumber(page.meta.channelMin[c])} · max ${formatNumber(page.meta.channelMax[c])}`;
  };
  const show = (map: FeatureMap) => {
    page = map;
    grid = createChannelGrid(map, o.width, o.settings, (c) => o.onChannel(map, c), onHover);
    grid.outline(box);
    frame.replaceChildren(grid.el);
    const total = mapTiles(map.meta.shape).channels;
    label.textContent = `${map.first + 1}–${map.first + map.count} of ${total}`;
    prev.disabled = map.first === 0;
    next.disabled = map.first + map.count >= total;
    pager.hidden = total <= PAGE_CHANNELS;
    el.dataset['first'] = String(map.first);
    el.dataset['ready'] = 'true';
    paintBar();
  };
  const load = (from: number, first: boolean) => {
    el.dataset['ready'] = 'loading';
    o.runData.map(o.runId, o.tensor, from, PAGE_CHANNELS).then(
      (map) => {
        el.classList.remove('loading');
        if (first) {
          note.textContent = countNote(map, o.shape);
          body.replaceChildren(frame, hover, pager, bar.el, note);
        }
        show(map);
      },
      (err: unknown) => {
        el.classList.remove('loading');
        const missing = err instanceof ClientRequestError && err.code === 'NOT_FOUND';
        const msg = element('div', 'map-missing', { text: missing ? 'No feature maps stored for this tensor (filtered out, or not a float tensor).' : `Could not load: ${err instanceof Error ? err.message : String(err)}` });
        msg.title = err instanceof Error ? err.message : '';
        body.replaceChildren(msg);
        el.dataset['ready'] = 'missing';
      },
    );
  };
  prev.addEventListener('click', () => page && load(Math.max(0, page.first - PAGE_CHANNELS), false));
  next.addEventListener('click', () => page && load(page.first + PAGE_CHANNELS, false));
  load(0, true);
  return {
    el,
    redraw: () => {
      grid?.redraw();
      paintBar();
    },
    outline(b) {
      box = b;
      grid?.outline(b);
    },
    current: () => page,
  };
}
