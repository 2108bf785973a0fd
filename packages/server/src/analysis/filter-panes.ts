/**
 * `model:filters`' pieces that need no worker: which conv layers a name picks, and a layer's
 * weights as panes: one grid image (a tile per output filter and input channel, enlarged so a 3×3
 * kernel is visible) and a histogram of the weights.
 * @module
 */
import { IMAGE_GRID_DEFAULTS, type LayerGraph, type LayerNode, type PlotContent } from '@cnnvis/protocol';
import type { FilterSet } from '@cnnvis/worker/pool';
import { badField } from '../errors';
import type { StoredImage } from '../store/window-store';

/** Prefix of the filter windows when the request names none. */
export const DEFAULT_FILTERS_PREFIX = 'filters';
/** The most output filters, and input channels per filter, shown when the request names no limit. */
export const DEFAULT_MAX_FILTERS = 64;
export const DEFAULT_MAX_INPUTS = 8;

/** Smallest side of a kernel tile on screen, in pixels. */
const MIN_TILE = 24;
/** Extra pixels between blocks of filters laid side by side. */
const BLOCK_GAP = 6;

/**
 * A node's module path, dotted as PyTorch names modules: the groups
 * `['layer1', 'layer1.0', 'conv1']` of `/layer1/layer1.0/conv1/Conv` give
 * `layer1.0.conv1` (the exporter names a list item `<list>.<index>`, repeating its list's name).
 */
function dottedPath(groups: readonly string[]): string {
  let path = '';
  let prev = '';
  for (const g of groups) {
    path += prev !== '' && g.startsWith(`${prev}.`) ? g.slice(prev.length) : path === '' ? g : `.${g}`;
    prev = g;
  }
  return path;
}

/** The names that pick `node` alone: its id and its module path, as `conv1`, `/conv1` or `layer1.0.conv1`. */
function exactNames(node: LayerNode): string[] {
  if (node.groups.length === 0) return [node.id];
  const path = node.groups.join('/');
  return [node.id, path, `/${path}`, dottedPath(node.groups)];
}

/**
 * The conv layers of `graph` that `layer` picks: the nodes it names exactly (by id or module path)
 * when there are any, else every conv layer whose id contains it or whose op it is; all of them
 * when `layer` is undefined.
 */
export function pickFilterLayers(graph: LayerGraph, layer?: string): LayerNode[] {
  const convs = graph.nodes.filter((n) => n.op === 'Conv' && n.weights.length > 0);
  if (layer === undefined) return convs;
  const exact = convs.filter((n) => exactNames(n).includes(layer));
  const picked = exact.length > 0 ? exact : convs.filter((n) => n.op === layer || n.id.includes(layer));
  if (picked.length === 0) {
    const names = convs.slice(0, 10).map((n) => n.id).join(', ');
    const listed = `${names || 'none'}${convs.length > 10 ? ', …' : ''}`;
    throw badField('layer', `no conv layer matches '${layer}' (conv layers: ${listed})`);
  }
  return picked;
}

/** A node name as a window-id part: no '/' or '\\' or control characters. */
export function safeWinPart(name: string): string {
  return name.replace(/[/\\\u0000-\u001f\u007f]+/g, '_').replace(/^_+/, '').slice(0, 100) || 'layer';
}

/**
 * A layer's quantised weights `[O, I, kh, kw]` as one grid image, laid out as `viz.images` lays out
 * a batch: in colour when I is 3 (a first layer on RGB), eight filters a row; else one grey tile
 * per (output, input) pair, each output a block of its inputs in a row, blocks side by side so the
 * image is about square (64 filters × 8 inputs is not a 30-pixel strip).
 */
export function filterGrid(set: FilterSet, maxFilters: number, maxInputs: number): StoredImage {
  const [o = 1, i = 1, kh = 1, kw = 1] = set.shape;
  const scale = Math.max(1, Math.ceil(MIN_TILE / Math.max(kh, kw)));
  const [th, tw] = [kh * scale, kw * scale];
  const outs = Math.min(o, maxFilters);
  const colour = i === 3;
  const ins = colour ? 1 : Math.min(i, maxInputs);
  const c = colour ? 3 : 1;
  const tiles = outs * ins;
  // Colour: one tile per filter, eight a row. Grey: a block of `ins` tiles per filter, `blocks` blocks a row.
  const blocks = colour ? 1 : Math.max(1, Math.min(outs, Math.round(Math.sqrt(outs / ins))));
  const cols = Math.min(colour ? 8 : ins, tiles);
  const gap = blocks > 1 ? BLOCK_GAP : 0;
  // A single tile goes without padding, as a batch of one does.
  const pad = tiles === 1 ? 0 : IMAGE_GRID_DEFAULTS.padding;
  const gh = Math.ceil(tiles / (cols * blocks)) * (th + pad) + pad;
  const gw = blocks * cols * (tw + pad) + (blocks - 1) * gap + pad;
  const grid = new Uint8Array(c * gh * gw);
  for (let t = 0; t < tiles; t++) {
    const [f, k] = [Math.floor(t / ins), t % ins];
    const row = Math.floor(t / (cols * blocks));
    const block = Math.floor(t / cols) % blocks;
    const top = row * (th + pad) + pad;
    const left = (block * cols + (t % cols)) * (tw + pad) + block * gap + pad;
    for (let ch = 0; ch < c; ch++) {
      const src = (f * i + (colour ? ch : k)) * kh * kw;
      for (let y = 0; y < th; y++) {
        const row = ch * gh * gw + (top + y) * gw + left;
        const from = src + Math.floor(y / scale) * kw;
        for (let x = 0; x < tw; x++) grid[row + x] = set.data[from + Math.floor(x / scale)] ?? 0;
      }
    }
  }
  const shown = colour ? `${outs} of ${o} filters (RGB)` : `${outs} of ${o} filters × ${ins} of ${i} inputs`;
  const caption = `${shown}, ${kh}×${kw}, black ${set.min.toPrecision(3)} … white ${set.max.toPrecision(3)}`;
  return { encoding: 'raw', width: gw, height: gh, channels: c, data: grid, caption };
}

/** A layer's weight histogram as one bar trace, bars at the bin centres. */
export function histogramPlot(h: FilterSet['histogram']): PlotContent {
  const x = h.counts.map((_, k) => ((h.edges[k] ?? 0) + (h.edges[k + 1] ?? 0)) / 2);
  return { kind: 'plot', traces: [{ name: 'weights', type: 'bar', x, y: [...h.counts] }] };
}
