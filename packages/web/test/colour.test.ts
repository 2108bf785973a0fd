/** Colormaps, statistic scales, dequantisation and the model hash. */
import { createHash } from 'node:crypto';
import type { AnalysisRun, DatasetLayerStats, GraphDataset } from '@cnnvis/protocol';
import { colormapCss, colormapLut, COLORMAPS, isDarkAt } from '../src/graph/colormap';
import { dequantize, displayLut, layerRange, paintChannel } from '../src/graph/dequantize';
import { buildStatScale, statLevel } from '../src/graph/stat-scale';
import { computeModelId } from '../src/upload/analysis-flow';
import type { VisibleNode } from '../src/graph/visible-graph';

test('colormaps run from their first stop to their last, smoothly', () => {
  for (const name of COLORMAPS) {
    const lut = colormapLut(name);
    expect(lut).toHaveLength(768);
    for (let i = 3; i < 768; i++) expect(Math.abs((lut[i] ?? 0) - (lut[i - 3] ?? 0))).toBeLessThanOrEqual(name === 'gray' ? 1 : 12);
  }
  expect([...colormapLut('viridis').subarray(0, 3)]).toEqual([0x44, 0x01, 0x54]);
  expect([...colormapLut('viridis').subarray(765)]).toEqual([0xfd, 0xe7, 0x25]);
  expect(colormapCss('gray', 0)).toBe('rgb(0,0,0)');
  expect(colormapCss('gray', 2)).toBe('rgb(255,255,255)'); // clamped
  expect(colormapCss('gray', NaN)).toBe('rgb(0,0,0)');
  expect(isDarkAt('viridis', 0)).toBe(true);
  expect(isDarkAt('viridis', 1)).toBe(false);
});

test('dequantisation inverts the per-channel quantisation within half a step', () => {
  const [min, max] = [-1.5, 3.25];
  for (const x of [-1.5, 0, 0.7, 3.25]) {
    const q = Math.round(((x - min) / (max - min)) * 255);
    expect(Math.abs(dequantize(q, min, max) - x)).toBeLessThanOrEqual((max - min) / 255 / 2 + 1e-9);
  }
  expect(dequantize(77, 2, 2)).toBe(2);
});

test('normalisation: per channel keeps the bytes, per layer maps each channel into the layer range', () => {
  const range = layerRange([0, 1, NaN], [1, 2, NaN]);
  expect(range).toEqual({ min: 0, max: 2 });
  const channel = displayLut('channel', 1, 2, range);
  expect([channel[0], channel[128], channel[255]]).toEqual([0, 128, 255]);
  const layer = displayLut('layer', 1, 2, range); // this channel spans the upper half of the layer
  expect([layer[0], layer[255]]).toEqual([128, 255]);
  const low = displayLut('layer', 0, 1, range);
  expect([low[0], low[255]]).toEqual([0, 128]);
  expect(displayLut('channel', 3, 3, range)[200]).toBe(0); // a constant channel
  expect(layerRange([], [])).toEqual({ min: 0, max: 0 });

  const out = new Uint8ClampedArray(8);
  paintChannel(new Uint8Array([0, 255]), channel, colormapLut('gray'), out);
  expect([...out]).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
});

test('statistic scales: groups aggregate, outliers are clipped, NaN is an alarm', () => {
  const layerNode = (id: string): VisibleNode => ({ id: `L:${id}`, kind: 'layer', title: 'Relu', subtitle: id, parent: null, layer: { id, op: 'Relu', groups: [], attributes: {}, params: 0, inputs: [], weights: [], outputs: [] } });
  const stats = (mean: number, zeros: number, nan = 0) => ({ min: 0, max: 1, mean, std: 1, zeros, nan, inf: 0 });
  const run: AnalysisRun = {
    runId: 'r', provider: 'cpu', timings: { queueMs: 0, sessionMs: 0, runMs: 0, statsMs: 0, storeMs: 0, totalMs: 0 },
    layers: [
      { node: 'a', op: 'Relu', tensor: 'ta', shape: [1], stats: stats(1, 0.5), channels: [] },
      { node: 'b', op: 'Relu', tensor: 'tb', shape: [1], stats: stats(3, 0.1, 2), channels: [] },
    ],
  };
  const group: VisibleNode = { id: 'G:g', kind: 'group', title: 'g', subtitle: '', parent: null, members: ['a', 'b'] };
  const nodes = [layerNode('a'), layerNode('b'), group, layerNode('missing')];
  const mean = buildStatScale(nodes, run, 'mean');
  expect(mean?.values.get('G:g')).toBe(2);
  expect(mean?.values.has('L:missing')).toBe(false);
  expect(mean && [mean.min, mean.max]).toEqual([1, 3]);
  expect(mean && statLevel(mean, 2)).toBe(0.5);
  expect(mean && statLevel(mean, undefined)).toBeNull();
  const zeros = buildStatScale(nodes, run, 'zeros');
  expect(zeros && [zeros.min, zeros.max]).toEqual([0, 1]);
  const nan = buildStatScale(nodes, run, 'nan');
  expect(nan?.values.get('G:g')).toBe(2);
  expect(nan && [statLevel(nan, 0), statLevel(nan, 2)]).toEqual([0, 1]);
  expect(buildStatScale(nodes, null, 'mean')).toBeNull();
  expect(buildStatScale(nodes, run, 'none')).toBeNull();
  // 98 ordinary layers and two wild ones: the wild ones do not set the domain.
  const many = Array.from({ length: 100 }, (_, i) => ({ node: `n${i}`, op: 'Relu', tensor: `t${i}`, shape: [1], stats: stats(i === 0 ? -1e6 : i === 99 ? 1e6 : i % 10, 0), channels: [] }));
  const clipped = buildStatScale(many.map((r) => layerNode(r.node)), { ...run, layers: many }, 'mean');
  expect(clipped && clipped.max).toBeLessThan(100);
  expect(clipped && clipped.min).toBeGreaterThan(-100);

  // Dataset colourings read the window's dataset statistics: a layer's mean over channels, 0…100%.
  const layer = (node: string, dead: number[], saturated?: number[]): DatasetLayerStats => ({
    node, op: 'Relu', tensor: node, shape: [dead.length], min: [], max: [], mean: [], std: [], zeros: dead, dead, deadChannels: [],
    ...(saturated ? { bounds: [0, 6] as [number, number], saturated } : {}), nan: [], inf: [], top: [], topMean: [],
  });
  const dataset: GraphDataset = { modelId: 'm', inputs: 10, topK: 5, createdAt: 0, layers: [layer('a', [1, 0, 0, 0]), layer('b', [0.5, 0.5], [0.2, 0.4])], thumbnails: {} };
  const dead = buildStatScale(nodes, null, 'dead', dataset);
  expect(dead && [dead.min, dead.max, dead.values.get('L:a'), dead.values.get('L:b'), dead.values.get('G:g')]).toEqual([0, 1, 0.25, 0.5, 0.375]);
  const sat = buildStatScale(nodes, run, 'saturated', dataset);
  expect(sat?.values.has('L:a')).toBe(false); // no clamp bounds
  expect(sat?.values.get('L:b')).toBeCloseTo(0.3, 12);
  expect(buildStatScale(nodes, run, 'dead')).toBeNull();
});

test('the model id is the SHA-256 of the bytes, with or without Web Crypto', async () => {
  const nodeHash = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 131 + 7) & 255);
  expect(await computeModelId(bytes)).toBe(nodeHash(bytes));
  // A page on plain HTTP from another host has no crypto.subtle.
  const noCrypto = jest.replaceProperty(globalThis, 'crypto', undefined as unknown as Crypto);
  try {
    expect(await computeModelId(bytes)).toBe(nodeHash(bytes));
  } finally {
    noCrypto.restore();
  }
});
