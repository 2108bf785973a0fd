/**
 * Real PyTorch exports (torch 1.13, opsets 13 and 17) against what PyTorch's
 * own forward hooks recorded (fixtures-src/make-fixtures.py): per-layer shapes,
 * statistics, per-channel statistics and sampled values, at batch 2 while the
 * export used batch 1 (a dynamic batch axis).
 */
import type { LayerResult } from '@cnnvis/protocol';
import { analyzeModel, clearModelCache, parseModel, unpackChannels, type AnalyzeOutput, type ChannelArrays } from '../src';
import { fixtureModel, readReference, type Described, type Reference } from './support/fixtures';
import { readFileSync } from 'node:fs';

/** Float32 ORT vs float32 PyTorch: kernels differ in summation order, so allow a little. */
const TOL = 2e-5;

function expectClose(actual: number | null | undefined, expected: number, scale: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(TOL * Math.max(1, scale));
}

function compareLayer(result: LayerResult | undefined, ref: Described): void {
  expect(result?.shape).toEqual(ref.shape);
  const scale = Math.max(Math.abs(ref.stats.min), Math.abs(ref.stats.max));
  expectClose(result?.stats.min, ref.stats.min, scale);
  expectClose(result?.stats.max, ref.stats.max, scale);
  expectClose(result?.stats.mean, ref.stats.mean, scale);
  expectClose(result?.stats.std, ref.stats.std, scale);
  expect(result?.stats.zeros).toBeCloseTo(ref.stats.zeros, 6);
  expect(result?.stats.nan).toBe(0);
  expect(result?.channels).toHaveLength(ref.channels?.length ?? 0);
  ref.channels?.forEach((c, i) => {
    const got = result?.channels[i];
    expectClose(got?.min, c.min, scale);
    expectClose(got?.max, c.max, scale);
    expectClose(got?.mean, c.mean, scale);
    expectClose(got?.std, c.std, scale);
    expect(got?.zeros).toBeCloseTo(c.zeros, 6);
  });
}

/** The layers with their per-channel statistics unpacked. */
const withChannels = (out: AnalyzeOutput) => unpackChannels({ layers: out.layers, ...(out.packedChannels as ChannelArrays) });

/** Sampled values must match too: statistics alone could hide a permutation. */
function compareSamples(out: AnalyzeOutput, layer: Reference['layers'][number]): void {
  const map = out.maps.find((m) => m.tensor === layer.tensor);
  expect(map).toBeDefined();
  if (!map) return;
  const perItem = layer.shape.slice(1).reduce((a, b) => a * b, 1);
  const channels = layer.shape.length >= 3 ? (layer.shape[1] as number) : 1;
  const plane = perItem / channels;
  // A small flat output is stored exactly, with a range per value.
  const perValue = channels === 1 && perItem > 1 && map.channelMin.length === perItem;
  for (const [index, value] of layer.samples) {
    if (index >= perItem) continue; // maps hold batch item 0 only
    const c = perValue ? index : Math.floor(index / plane);
    if (c >= map.channelMin.length) continue;
    const lo = map.channelMin[c] as number;
    const step = ((map.channelMax[c] as number) - lo) / 255;
    expect(Math.abs(lo + (map.data[index] as number) * step - value)).toBeLessThanOrEqual(step / 2 + 1e-4);
  }
}

describe.each(['residual-opset13.onnx', 'residual-opset17.onnx'])('%s (residual Add, Concat, depthwise conv, BatchNorm)', (file) => {
  const ref = readReference('residual');
  let out: AnalyzeOutput;
  beforeAll(async () => {
    out = await analyzeModel({
      ...fixtureModel(file),
      input: { data: Float32Array.from(ref.input.data), shape: ref.input.shape },
      maxChannels: 64,
      provider: 'cpu',
    });
  });
  afterAll(() => clearModelCache());

  it('runs at batch 2 although exported at batch 1', () => {
    expect(ref.input.shape[0]).toBe(2);
    expect(out.graph.inputs[0]?.shape).toEqual(['batch', 3, 16, 16]);
  });

  it.each(ref.layers.map((l) => [l.module, l] as const))('%s matches PyTorch', (_module, layer) => {
    compareLayer(withChannels(out).find((l) => l.tensor === layer.tensor), layer);
    compareSamples(out, layer);
  });

  it('keeps BatchNorm, Add, Concat and the depthwise conv as layers of their own', () => {
    const ops = out.layers.map((l) => l.op);
    expect(ops.filter((o) => o === 'BatchNormalization')).toHaveLength(2);
    expect(ops).toEqual(expect.arrayContaining(['Add', 'Concat', 'GlobalAveragePool', 'Flatten', 'Gemm']));
    const dw = out.graph.nodes.find((n) => n.id === '/block1/dw/Conv');
    expect(dw?.attributes['group']).toBe(8);
    expect(dw?.params).toBe(8 * 9 + 8);
  });

  it('nests layers in groups from their names', () => {
    expect(out.graph.nodes.find((n) => n.id === '/block1/bn/BatchNormalization')?.groups).toEqual(['block1', 'bn']);
    expect(out.graph.nodes.find((n) => n.id === '/cat/Concat')?.groups).toEqual(['cat']);
  });

  it('has edges with both consumers of a residual input', () => {
    const stemAct = out.graph.edges.find((e) => e.tensor === '/stem_act/Relu_output_0');
    expect(stemAct?.to.sort()).toEqual(['/block1/add/Add', '/block1/dw/Conv']);
    expect(stemAct?.shape).toEqual([2, 8, 16, 16]);
  });

  it('gives filters for the three convs, including the depthwise one', () => {
    expect(out.filters.map((f) => [f.node, f.shape])).toEqual([
      ['/stem/Conv', [8, 3, 3, 3]],
      ['/block1/dw/Conv', [8, 1, 3, 3]],
      ['/block1/pw/Conv', [8, 8, 1, 1]],
      ['/branch/Conv', [8, 8, 1, 1]],
    ]);
  });

  it('parses the opset', () => {
    const graph = parseModel(readFileSync(fixtureModel(file).modelPath), fixtureModel(file).modelId);
    expect(graph.opsets['ai.onnx']).toBe(file.includes('13') ? 13 : 17);
  });
});

describe('shape-arith.onnx (Constant nodes, int64 shape arithmetic, initializers listed as inputs)', () => {
  const ref = readReference('shape-arith');
  let out: AnalyzeOutput;
  beforeAll(async () => {
    out = await analyzeModel({
      ...fixtureModel('shape-arith.onnx'),
      input: { data: Float32Array.from(ref.input.data), shape: ref.input.shape },
      maxChannels: 64,
      provider: 'cpu',
    });
  });
  afterAll(() => clearModelCache());

  it('treats initializers listed as graph inputs as weights, not model inputs', () => {
    expect(out.graph.inputs.map((i) => i.name)).toEqual(['input']);
    expect(out.graph.initializers.map((i) => i.name).sort()).toEqual(['conv.bias', 'conv.weight', 'fc.bias', 'fc.weight']);
    expect(out.graph.nodes.find((n) => n.id === '/conv/Conv')).toMatchObject({ inputs: ['input'], weights: ['conv.weight', 'conv.bias'], params: 40 });
  });

  it.each(ref.layers.map((l) => [l.module, l] as const))('%s matches PyTorch', (_module, layer) => {
    compareLayer(withChannels(out).find((l) => l.tensor === layer.tensor), layer);
  });

  it('keeps Constant nodes in the graph but not among the activations, and skips int64 tensors', () => {
    expect(out.graph.nodes.filter((n) => n.op === 'Constant').length).toBeGreaterThan(0);
    const ops = new Set(out.layers.map((l) => l.op));
    for (const op of ['Constant', 'Shape', 'Gather', 'Unsqueeze']) expect(ops.has(op)).toBe(false);
    expect(out.layers.map((l) => l.op)).toEqual(['Conv', 'Relu', 'Reshape', 'Gemm']);
  });

  it('shows small constant tensors with their values', () => {
    const c = out.graph.nodes.find((n) => n.id === '/Constant_1');
    expect(c?.attributes['value']).toBe('int64[1] = [-1]');
  });

  it('gives int64 edges the dtype and shape ONNX Runtime inferred', () => {
    expect(out.graph.edges.find((e) => e.tensor === '/Shape_output_0')).toMatchObject({ dtype: 'int64', shape: [4] });
  });
});
