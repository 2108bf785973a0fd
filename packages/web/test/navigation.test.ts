/** Pure parts of finding one's way: layer order, tensor links, label placement, presets, the landing env. */
import type { LayerGraph, LayerNode } from '@cnnvis/protocol';
import { labelRect, placeEdgeLabels, textRects } from '../src/graph/edge-labels';
import { buildGroupTree } from '../src/graph/groups';
import type { GraphLayout } from '../src/graph/layout-result';
import { layerSequence, stepFrom, tensorLinks } from '../src/graph/navigation';
import { intersects } from '../src/graph/viewport';
import { buildVisibleGraph } from '../src/graph/visible-graph';
import { pickLandingEnv } from '../src/ui/chrome';
import { parseNumbers, resolvePreset } from '../src/upload/analyse-dialog';

const layer = (id: string, op: string, groups: string[], inputs: string[], outputs: string[]): LayerNode => ({
  id, op, groups, attributes: {}, params: 0, inputs, weights: [], outputs,
});

/** x → conv → relu → add(relu, x) → y, the first three in group `a`. */
const graph: LayerGraph = {
  modelId: 'f'.repeat(64), irVersion: 9, opsets: { '': 17 }, producer: 'test',
  inputs: [{ name: 'x', dtype: 'float', shape: [1, 3, 8, 8] }],
  outputs: [{ name: 'y', dtype: 'float', shape: [1, 3, 8, 8] }],
  initializers: [],
  nodes: [
    layer('/a/conv/Conv', 'Conv', ['a'], ['x'], ['t1']),
    layer('/a/relu/Relu', 'Relu', ['a'], ['t1'], ['t2']),
    layer('/add/Add', 'Add', [], ['t2', 'x'], ['y']),
  ],
  edges: [
    { tensor: 'x', from: null, to: ['/a/conv/Conv', '/add/Add'], dtype: 'float', shape: [1, 3, 8, 8] },
    { tensor: 't1', from: '/a/conv/Conv', to: ['/a/relu/Relu'], dtype: 'float', shape: [1, 3, 8, 8] },
    { tensor: 't2', from: '/a/relu/Relu', to: ['/add/Add'], dtype: 'float', shape: [1, 3, 8, 8] },
    { tensor: 'y', from: '/add/Add', to: [], dtype: 'float', shape: [1, 3, 8, 8] },
  ],
};

test('steps run input, layers in model order, output; a folded group still counts', () => {
  const tree = buildGroupTree(graph);
  for (const collapsed of [new Set<string>(), new Set(['a'])]) {
    const seq = layerSequence(graph, buildVisibleGraph(graph, tree, collapsed));
    expect(seq).toEqual(['I:x', 'L:/a/conv/Conv', 'L:/a/relu/Relu', 'L:/add/Add', 'O:y']);
  }
  const seq = layerSequence(graph, buildVisibleGraph(graph, tree, new Set()));
  expect(stepFrom(seq, 'L:/a/relu/Relu', 1)).toBe('L:/add/Add');
  expect(stepFrom(seq, 'L:/a/relu/Relu', -1)).toBe('L:/a/conv/Conv');
  expect(stepFrom(seq, 'O:y', 1)).toBeNull();
  expect(stepFrom(seq, 'G:a', 1)).toBeNull();
});

test('tensor links name each input’s producer and each output’s consumers', () => {
  const vis = buildVisibleGraph(graph, buildGroupTree(graph), new Set());
  expect(tensorLinks(graph, vis, 'L:/add/Add')).toEqual([
    { tensor: 't2', role: 'input', targets: [{ id: 'L:/a/relu/Relu', label: 'Relu · relu' }] },
    { tensor: 'x', role: 'input', targets: [{ id: 'I:x', label: 'model input' }] },
    { tensor: 'y', role: 'output', targets: [{ id: 'O:y', label: 'model output' }] },
  ]);
  expect(tensorLinks(graph, vis, 'I:x')[0]?.targets.map((t) => t.id)).toEqual(['L:/a/conv/Conv', 'L:/add/Add']);
  expect(tensorLinks(graph, vis, 'O:y')[0]?.targets.map((t) => t.id)).toEqual(['L:/add/Add']);
});

test('edge labels move off boxes and frame titles, or go', () => {
  const vis = buildVisibleGraph(graph, buildGroupTree(graph), new Set());
  const [edge, first] = [vis.edges[0], vis.nodes[0]];
  if (edge === undefined || first === undefined) throw new Error('no graph');
  const node = (x: number, y: number) => ({ node: first, x, y, w: 100, h: 40 });
  // A vertical edge from (50, 40) to (50, 240) whose middle runs past a box at y 120…160.
  const layout: GraphLayout = {
    nodes: [node(0, 0), node(0, 200), node(40, 120)],
    boxes: [],
    edges: [{ edge: { ...edge, label: '1×3×8×8' }, points: [50, 40, 50, 200], bounds: { x: 50, y: 40, w: 0, h: 160 }, label: { x: 50, y: 120 } }],
    byId: new Map(),
    width: 200,
    height: 240,
  };
  placeEdgeLabels(layout, (t) => t.length * 6);
  const label = layout.edges[0]?.label;
  if (!label) throw new Error('the label found no spot');
  const rect = labelRect(label.x, label.y, 7 * 6);
  expect(textRects(layout).some((r) => intersects(r, rect))).toBe(false);
  // Boxes everywhere along it: no label at all.
  layout.nodes.push({ ...node(0, 0), w: 200, h: 240 });
  placeEdgeLabels(layout, (t) => t.length * 6);
  expect(layout.edges[0]?.label).toBeNull();
});

test('mean/std presets, custom numbers and their errors', () => {
  expect(resolvePreset('imagenet')).toEqual({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
  expect(resolvePreset('none')).toEqual({ mean: [0], std: [1] });
  expect(resolvePreset('custom', { mean: '0.5, 0.5 0.5', std: '0.25' })).toEqual({ mean: [0.5, 0.5, 0.5], std: [0.25] });
  expect(resolvePreset('custom', { mean: '0.5', std: '0' })).toBe('std: every value must be above 0');
  expect(parseNumbers('a, 1', 'mean')).toMatch(/not a list of numbers/);
  expect(parseNumbers('1 2 3 4 5', 'mean')).toMatch(/1 to 4/);
});

test('the landing env is the one changed last that has windows', () => {
  const envs = [
    { id: 'main', windows: 0, updatedAt: 99 },
    { id: 'a', windows: 3, updatedAt: 10 },
    { id: 'b', windows: 1, updatedAt: 20 },
  ];
  expect(pickLandingEnv(envs, 'main')).toBe('b');
  expect(pickLandingEnv([], 'main')).toBe('main');
});
