/**
 * `viz.filters`' pieces that need no connection: which layers have filters,
 * the input the filters' run uses when none is given, and a layer's weights
 * as an image grid (one tile per output filter and input channel, enlarged
 * so a 3×3 kernel is visible) and as histogram bars.
 * @module
 */
import type { FilterMeta, LayerGraph, LayerNode } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import type { ImageBatch } from './image-grid';

/** Ops whose weights are shown as filters. */
const FILTER_OPS = new Set(['Conv', 'ConvTranspose']);

/** Smallest side of a kernel tile on screen, in pixels. */
const MIN_TILE = 24;

/**
 * The conv layers of `graph` matching `layer` (node name, a part of it, or an
 * op), all of them when `layer` is undefined.
 * @example
 * pickFilterLayers(graph, 'conv1').map((n) => n.id); // ['/conv1/Conv']
 */
export function pickFilterLayers(graph: LayerGraph, layer?: string): LayerNode[] {
  const convs = graph.nodes.filter((n) => FILTER_OPS.has(n.op) && n.weights.length > 0);
  if (layer === undefined) return convs;
  const exact = convs.filter((n) => n.id === layer);
  const picked = exact.length > 0 ? exact : convs.filter((n) => n.op === layer || n.id.includes(layer));
  if (picked.length === 0) {
    const names = convs.slice(0, 10).map((n) => n.id).join(', ');
    throw CnnvisClientError.badRequest([
      { path: 'layer', message: `no conv layer matches '${layer}' (conv layers: ${names || 'none'}${convs.length > 10 ? ', …' : ''})` },
    ]);
  }
  return picked;
}

/**
 * Zeros of the model's first input, batch 1: filters do not depend on the
 * input, but they are read by the run that stores them.
 * @example
 * zerosInput(graph); // { data: Float32Array(784), shape: [1, 1, 28, 28] }
 */
export function zerosInput(graph: LayerGraph): { data: Float32Array; shape: number[] } {
  const first = graph.inputs[0];
  if (first === undefined) throw CnnvisClientError.badRequest([{ path: 'model', message: 'the model declares no input' }]);
  const dims = first.shape ?? [];
  const shape = dims.map((d, i) => (typeof d === 'number' && d > 0 ? d : i === 0 ? 1 : NaN));
  if (shape.length === 0 || shape.some((d) => Number.isNaN(d))) {
    throw CnnvisClientError.badRequest([
      { path: 'input', message: `the model's input '${first.name}' has shape [${dims.join(', ')}]; pass opts.input with a concrete shape` },
    ]);
  }
  return { data: new Float32Array(shape.reduce((n, d) => n * d, 1)), shape };
}

/** A filter grid ready for `viz.images`: the batch and how many tiles per row. */
export interface FilterGrid {
  batch: ImageBatch;
  nrow: number;
  caption: string;
}

/**
 * A layer's quantised weights `[O, I, kh, kw]` as tiles: in colour when I is
 * 3 (a first layer on RGB), else one grey tile per (output, input) pair, one
 * output per row.
 * @example
 * filterGrid(meta, bytes, 64, 8).batch.shape; // [64 * 8, 1, 24, 24] for a 3×3 conv with 8+ inputs
 */
export function filterGrid(meta: Pick<FilterMeta, 'node' | 'shape' | 'min' | 'max'>, data: Uint8Array, maxFilters: number, maxInputs: number): FilterGrid {
  const [o = 1, i = 1, kh = 1, kw = 1] = meta.shape.length === 4 ? meta.shape : [meta.shape[0] ?? 1, 1, 1, meta.shape.slice(1).reduce((a, b) => a * b, 1)];
  const scale = Math.max(1, Math.ceil(MIN_TILE / Math.max(kh, kw)));
  const [th, tw] = [kh * scale, kw * scale];
  const outs = Math.min(o, maxFilters);
  const colour = i === 3;
  const ins = colour ? 1 : Math.min(i, maxInputs);
  const c = colour ? 3 : 1;
  const tiles = new Uint8Array(outs * ins * c * th * tw);
  for (let f = 0; f < outs; f++) {
    for (let k = 0; k < ins; k++) {
      for (let ch = 0; ch < c; ch++) {
        const src = ((f * i + (colour ? ch : k)) * kh) * kw;
        const dst = (((f * ins + k) * c + ch) * th) * tw;
        for (let y = 0; y < th; y++) {
          for (let x = 0; x < tw; x++) tiles[dst + y * tw + x] = data[src + Math.floor(y / scale) * kw + Math.floor(x / scale)] ?? 0;
        }
      }
    }
  }
  const shown = colour ? `${outs} of ${o} filters (RGB)` : `${outs} of ${o} filters × ${ins} of ${i} inputs`;
  return {
    batch: { data: tiles, shape: [outs * ins, c, th, tw] },
    nrow: colour ? Math.min(outs, 8) : ins,
    caption: `${meta.node}: ${shown}, ${kh}×${kw}, black ${meta.min.toPrecision(3)} … white ${meta.max.toPrecision(3)}`,
  };
}

/**
 * Histogram edges and counts as bars at the bin centres.
 * @example
 * histogramBars({ edges: [0, 1, 2], counts: [3, 4] }); // { x: [0.5, 1.5], y: [3, 4] }
 */
export function histogramBars(h: FilterMeta['histogram']): { x: number[]; y: number[] } {
  const x = h.counts.map((_, k) => ((h.edges[k] ?? 0) + (h.edges[k + 1] ?? 0)) / 2);
  return { x, y: [...h.counts] };
}

/** A node name as a window-id part: no '/' or '\\' or control characters. */
export function safeWinPart(name: string): string {
  return name.replace(/[/\\\u0000-\u001f\u007f]+/g, '_').replace(/^_+/, '').slice(0, 100) || 'layer';
}
