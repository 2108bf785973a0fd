/**
 * A tensor's feature maps in the panel: its name and shape, then its
 * channels as a grid, fetched when the block is made (one tensor, never the
 * whole run). Says plainly when the run stored nothing for the tensor.
 * @module
 */
import type { FeatureMap, RunData } from '../../client/run-data';
import { ClientRequestError } from '../../client/types';
import { mapTiles } from '../../graph/channel-grid';
import { formatShape } from '../../graph/labels';
import { createChannelGrid, type ChannelGrid } from './channel-grid-view';
import type { MapSettings } from './map-settings';

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
}

export interface MapBlock {
  readonly el: HTMLElement;
  redraw(): void;
}

/** @example column.append(createMapBlock({ runData, runId, tensor, shape, role: 'output', width: 260, settings, onChannel }).el); */
export function createMapBlock(o: MapBlockOptions): MapBlock {
  const el = document.createElement('div');
  el.className = 'map-block loading';
  el.dataset['testid'] = `maps-${o.role}`;
  el.dataset['tensor'] = o.tensor;
  const head = document.createElement('div');
  head.className = 'map-head';
  const name = document.createElement('span');
  name.className = 'map-name';
  name.textContent = o.tensor;
  name.title = o.tensor;
  const shape = document.createElement('span');
  shape.className = 'map-shape';
  shape.textContent = o.shape ? formatShape(o.shape) : '';
  head.append(name, shape);
  const body = document.createElement('div');
  body.className = 'map-body';
  body.innerHTML = '<div class="skeleton"></div>';
  el.append(head, body);
  let grid: ChannelGrid | undefined;

  o.runData.map(o.runId, o.tensor).then(
    (map) => {
      el.classList.remove('loading');
      grid = createChannelGrid(map, o.width, o.settings, (c) => o.onChannel(map, c));
      const stored = mapTiles(map.meta.shape).channels;
      const total = o.shape && o.shape.length >= 3 ? o.shape[1] ?? stored : stored;
      const note = document.createElement('div');
      note.className = 'map-note';
      const tiles = mapTiles(map.meta.shape);
      note.textContent = map.meta.shape.length < 3 ? `${tiles.size} values` : total > stored ? `first ${stored} of ${total} channels` : `${stored} channel${stored === 1 ? '' : 's'}`;
      if (tiles.h * tiles.w === 1 && stored > 1) note.textContent += ' · 1×1: shown on the layer range';
      body.replaceChildren(grid.el, note);
      el.dataset['ready'] = 'true';
    },
    (err: unknown) => {
      el.classList.remove('loading');
      const missing = err instanceof ClientRequestError && err.code === 'NOT_FOUND';
      const msg = document.createElement('div');
      msg.className = 'map-missing';
      msg.textContent = missing ? 'No feature maps stored for this tensor (filtered out, or not a float tensor).' : `Could not load: ${err instanceof Error ? err.message : String(err)}`;
      msg.title = err instanceof Error ? err.message : '';
      body.replaceChildren(msg);
      el.dataset['ready'] = 'missing';
    },
  );
  return { el, redraw: () => grid?.redraw() };
}
