/** The layer-graph explorer's pure parts: groups, collapse, visible graph, labels, search. */
import type { LayerGraph, LayerNode } from '@cnnvis/protocol';
import { buildGroupTree, initialCollapsed, reveal } from '../src/graph/groups';
import { formatNumber, formatShape, opFamily, shortName } from '../src/graph/labels';
import { searchLayers } from '../src/graph/search';
import { createSyntheticGraph } from '../src/graph/synthetic-graph';
import { buildVisibleGraph } from '../src/graph/visible-graph';

const layer = (id: string, op: string, groups: string[], inputs: string[], outputs: string[]): LayerNode => ({
  id, op, groups, attributes: {}, params: 0, inputs, weights: [], outputs,
});

/** x → conv (in a/b) → relu (in a/b) → add (in a) → y; `a/b` and `a` both hold ≥ 2 layers. */
function tinyGraph(): LayerGraph {
  const nodes = [
    layer('/a/b/conv/Conv', 'Conv', ['a', 'b'], ['x'], ['t1']),
    layer('/a/b/relu/Relu', 'Relu', ['a', 'b'], ['t1'], ['t2']),
    layer('/a/add/Add', 'Add', ['a'], ['t2', 'x'], ['t3']),
    layer('/solo/one/Sigmoid', 'Sigmoid', ['solo', 'one'], ['t3'], ['y']),
  ];
  return {
    modelId: 'f'.repeat(64), irVersion: 9, opsets: { '': 17 }, producer: 'test',
    inputs: [{ name: 'x', dtype: 'float', shape: [1, 3, 8, 8] }, { name: 'w', dtype: 'float', shape: [3] }],
    outputs: [{ name: 'y', dtype: 'float', shape: [1, 3, 8, 8] }],
    initializers: [{ name: 'w', dtype: 'float', shape: [3], params: 3 }],
    nodes,
    edges: [
      { tensor: 'x', from: null, to: ['/a/b/conv/Conv', '/a/add/Add'], dtype: 'float', shape: [1, 3, 8, 8] },
      { tensor: 't1', from: '/a/b/conv/Conv', to: ['/a/b/relu/Relu'], dtype: 'float', shape: [1, 3, 8, 8] },
      { tensor: 't2', from: '/a/b/relu/Relu', to: ['/a/add/Add'], dtype: 'float', shape: [1, 3, 8, 8] },
      { tensor: 't3', from: '/a/add/Add', to: ['/solo/one/Sigmoid'], dtype: 'float', shape: [1, 3, 8, 8] },
      { tensor: 'y', from: '/solo/one/Sigmoid', to: [], dtype: 'float', shape: ['batch', 3, 8, 8] },
    ],
  };
}

test('groups of one layer, and wrappers with the same layers as their parent, are dropped', () => {
  const tree = buildGroupTree(tinyGraph());
  expect([...tree.groups.keys()]).toEqual(['a', 'a/b']);
  expect(tree.groups.get('a')).toMatchObject({ size: 3, parent: null, children: 2 });
  expect(tree.groups.get('a/b')).toMatchObject({ size: 2, parent: 'a', children: 2 });
  expect(tree.chains.get('/solo/one/Sigmoid')).toEqual([]);
  const wrapped = buildGroupTree({ nodes: [layer('/m/f/c/Conv', 'Conv', ['m', 'f'], [], []), layer('/m/f/r/Relu', 'Relu', ['m', 'f'], [], [])] });
  expect([...wrapped.groups.keys()]).toEqual(['m']);
});

test('the visible graph: expanded groups become frames, collapsed ones one node, edges merge', () => {
  const graph = tinyGraph();
  const tree = buildGroupTree(graph);
  const open = buildVisibleGraph(graph, tree, new Set());
  expect(open.nodes.map((n) => n.id).sort()).toEqual(
    ['I:x', 'L:/a/add/Add', 'L:/a/b/conv/Conv', 'L:/a/b/relu/Relu', 'L:/solo/one/Sigmoid', 'O:y'].sort(),
  );
  expect(open.boxes.map((b) => b.id)).toEqual(['G:a', 'G:a/b']); // outermost first
  expect(open.nodes.find((n) => n.id === 'L:/a/b/conv/Conv')?.parent).toBe('G:a/b');
  expect(open.nodes.find((n) => n.id === 'L:/a/add/Add')?.parent).toBe('G:a');
  expect(open.edges.find((e) => e.to === 'O:y')?.label).toBe('batch×3×8×8');
  expect(open.nodes.some((n) => n.id === 'I:w')).toBe(false); // an initializer, not an input

  const shut = buildVisibleGraph(graph, tree, new Set(['a']));
  const group = shut.nodes.find((n) => n.id === 'G:a');
  expect(group).toMatchObject({ kind: 'group', title: 'a', subtitle: '3 layers', parent: null });
  expect(group?.members).toHaveLength(3);
  expect(shut.boxes).toEqual([]);
  // x feeds conv and add, both inside `a`: one merged edge; edges inside `a` vanish.
  const fromX = shut.edges.filter((e) => e.from === 'I:x');
  expect(fromX).toHaveLength(1);
  expect(fromX[0]).toMatchObject({ to: 'G:a', count: 2 });
  expect(shut.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(['G:a>L:/solo/one/Sigmoid', 'I:x>G:a', 'L:/solo/one/Sigmoid>O:y']);

  const inner = buildVisibleGraph(graph, tree, new Set(['a/b']));
  expect(inner.nodes.find((n) => n.id === 'G:a/b')?.parent).toBe('G:a');
  expect(inner.boxes.map((b) => b.id)).toEqual(['G:a']);
});

test('a big graph starts collapsed within budget; revealing a layer opens its groups', () => {
  const { graph } = createSyntheticGraph(1000);
  expect(graph.nodes).toHaveLength(1000);
  const tree = buildGroupTree(graph);
  const collapsed = initialCollapsed(tree, graph.nodes.length, 150);
  const vis = buildVisibleGraph(graph, tree, collapsed);
  expect(vis.nodes.length).toBeLessThanOrEqual(150 + 2);
  expect(vis.nodes.length).toBeGreaterThan(20);
  expect(initialCollapsed(tree, 40, 150).size).toBe(0);

  const target = graph.nodes[500] as LayerNode;
  const shown = buildVisibleGraph(graph, tree, reveal(tree, new Set(tree.groups.keys()), target.id));
  expect(shown.nodes.some((n) => n.id === `L:${target.id}`)).toBe(true);
  // Every layer is either visible or a member of exactly one visible group.
  const counted = shown.nodes.reduce((sum, n) => sum + (n.kind === 'layer' ? 1 : n.members?.length ?? 0), 0);
  expect(counted).toBe(1000);
});

test('labels: short names, shapes, numbers and op families', () => {
  expect(shortName('/layer1/layer1.0/conv1/Conv', 'Conv')).toBe('conv1');
  expect(shortName('/fc/Gemm_1', 'Gemm')).toBe('fc');
  expect(shortName('relu_3', 'Relu')).toBe('relu_3');
  expect(shortName('Conv', 'Conv')).toBe('Conv');
  expect(formatShape([1, 64, 56, 56])).toBe('1×64×56×56');
  expect(formatShape(['N', null, 3])).toBe('N×?×3');
  expect(formatShape(null)).toBe('');
  expect(formatNumber(0.123456)).toBe('0.1235');
  expect(formatNumber(2)).toBe('2');
  expect(formatNumber(1.5e-5)).toBe('1.50e-5');
  expect(formatNumber(null)).toBe('—');
  expect(opFamily('Conv')).toBe('conv');
  expect(opFamily('MaxPool')).toBe('pool');
  expect(opFamily('BatchNormalization')).toBe('norm');
  expect(opFamily('Gemm')).toBe('dense');
  expect(opFamily('NonMaxSuppression')).toBe('other');
});

test('search finds layers by op first, then by name, case-insensitively', () => {
  const { graph } = createSyntheticGraph(60);
  const relus = searchLayers(graph.nodes, 'RELU');
  expect(relus.length).toBeGreaterThan(3);
  expect(relus.every((n) => n.op === 'Relu')).toBe(true);
  expect(searchLayers(graph.nodes, 'layer1.2/conv2')[0]?.id).toBe('/layer1/layer1.2/conv2/Conv');
  expect(searchLayers(graph.nodes, 'fc')[0]?.op).toBe('Gemm');
  expect(searchLayers(graph.nodes, '  ')).toEqual([]);
  expect(searchLayers(graph.nodes, 'no-such-layer')).toEqual([]);
});
