/**
 * A deterministic ResNet-shaped graph of any size with a plausible run: for the layout
 * benchmark, big-graph tests, and trying the explorer without a model.
 * @module
 */
import type { AnalysisRun, Edge, LayerGraph, LayerNode, LayerResult } from '@cnnvis/protocol';

/** mulberry32: small, seeded, good enough for fake statistics. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * About `layers` layers (never fewer): a stem, then residual blocks of seven
 * layers (conv, bn, relu, conv, bn, add, relu) in stages of four blocks,
 * then pooling and a classifier.
 * @example createSyntheticGraph(1000).graph.nodes.length // 1000
 */
export function createSyntheticGraph(layers: number): { graph: LayerGraph; run: AnalysisRun } {
  const nodes: LayerNode[] = [];
  const shapes = new Map<string, number[]>();
  let tensor = 'input';
  shapes.set(tensor, [1, 3, 224, 224]);
  const add = (name: string, op: string, groups: string[], inputs: string[], shape: number[], params = 0, attributes: LayerNode['attributes'] = {}) => {
    const id = `/${[...groups, name].join('/')}/${op}`;
    const out = `${id}_output_0`;
    shapes.set(out, shape);
    nodes.push({ id, op, groups, attributes, params, inputs, weights: params > 0 ? [`${id}.weight`] : [], outputs: [out] });
    return out;
  };
  const conv = { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], group: 1 };
  tensor = add('conv1', 'Conv', [], [tensor], [1, 64, 112, 112], 9408, { kernel_shape: [7, 7], strides: [2, 2] });
  tensor = add('bn1', 'BatchNormalization', [], [tensor], [1, 64, 112, 112], 128);
  tensor = add('relu', 'Relu', [], [tensor], [1, 64, 112, 112]);
  tensor = add('maxpool', 'MaxPool', [], [tensor], [1, 64, 56, 56]);
  const tail = 3;
  for (let b = 0; nodes.length + 7 + tail <= layers; b++) {
    const stage = Math.floor(b / 4);
    const c = 64 * 2 ** Math.min(3, stage);
    const s = Math.max(7, 56 >> Math.min(3, stage));
    const g = [`layer${stage + 1}`, `layer${stage + 1}.${b % 4}`];
    const shape = [1, c, s, s];
    const skip = tensor;
    let t = add('conv1', 'Conv', g, [tensor], shape, c * c * 9, conv);
    t = add('bn1', 'BatchNormalization', g, [t], shape, 2 * c);
    t = add('relu', 'Relu', g, [t], shape);
    t = add('conv2', 'Conv', g, [t], shape, c * c * 9, conv);
    t = add('bn2', 'BatchNormalization', g, [t], shape, 2 * c);
    t = add('add', 'Add', g, [t, skip], shape);
    tensor = add('relu_1', 'Relu', g, [t], shape);
  }
  const last = shapes.get(tensor)?.[1] ?? 512;
  tensor = add('avgpool', 'GlobalAveragePool', [], [tensor], [1, last, 1, 1]);
  tensor = add('flatten', 'Flatten', [], [tensor], [1, last]);
  tensor = add('fc', 'Gemm', [], [tensor], [1, 1000], last * 1000 + 1000, { transB: 1 });
  while (nodes.length < layers) tensor = add(`extra_${nodes.length}`, 'Relu', ['head'], [tensor], [1, 1000]);

  const consumers = new Map<string, string[]>();
  for (const n of nodes) for (const i of n.inputs) consumers.set(i, [...(consumers.get(i) ?? []), n.id]);
  const producer = new Map(nodes.flatMap((n) => n.outputs.map((o) => [o, n.id] as const)));
  const edges: Edge[] = [...shapes.keys()].map((name) => ({
    tensor: name,
    from: producer.get(name) ?? null,
    to: consumers.get(name) ?? [],
    dtype: 'float',
    shape: shapes.get(name) ?? null,
  }));
  const graph: LayerGraph = {
    modelId: '0'.repeat(63) + '1',
    irVersion: 10,
    opsets: { '': 17 },
    producer: 'cnnvis synthetic',
    inputs: [{ name: 'input', dtype: 'float', shape: [1, 3, 224, 224] }],
    outputs: [{ name: tensor, dtype: 'float', shape: shapes.get(tensor) ?? null }],
    initializers: [],
    nodes,
    edges,
  };
  const rnd = random(layers);
  const results: LayerResult[] = nodes.map((n, i) => {
    const relu = n.op === 'Relu';
    const std = 0.2 + rnd() * (1 + i / nodes.length);
    const stats = { min: relu ? 0 : -3 * std, max: 3 * std, mean: relu ? std * 0.6 : (rnd() - 0.5) * std, std, zeros: relu ? 0.3 + rnd() * 0.6 : rnd() * 0.02, nan: 0, inf: 0 };
    return { node: n.id, op: n.op, tensor: n.outputs[0] ?? '', shape: shapes.get(n.outputs[0] ?? '') ?? [], stats, channels: [] };
  });
  const timings = { queueMs: 0, sessionMs: 0, runMs: 0, statsMs: 0, storeMs: 0, totalMs: 0 };
  return { graph, run: { runId: 'synthetic', provider: 'cpu', timings, layers: results } };
}
