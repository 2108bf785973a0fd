/** The graph as drawn without weight-only nodes, and the raw graph the toggle restores. */
import type { LayerGraph, LayerNode } from '@cnnvis/protocol';
import { buildGroupTree } from '../src/graph/groups';
import { buildVisibleGraph, foldedCount, layersOnly } from '../src/graph/visible-graph';

const node = (id: string, op: string, inputs: string[], weights: string[], outputs: string[], folded = false): LayerNode => ({
  id, op, groups: [], attributes: {}, params: 0, inputs, weights, outputs, ...(folded ? { folded } : {}),
});

/** x → conv(w via id, b) → clip(lo, hi from one Constant) → y. */
function exported(): LayerGraph {
  return {
    modelId: 'f'.repeat(64), irVersion: 8, opsets: { 'ai.onnx': 13 }, producer: 'test',
    inputs: [{ name: 'x', dtype: 'float', shape: [1, 3, 8, 8] }],
    outputs: [{ name: 'y', dtype: 'float', shape: null }],
    initializers: [{ name: 'w0', dtype: 'float', shape: [4, 3, 1, 1], params: 12 }],
    nodes: [
      node('id', 'Identity', [], ['w0'], ['w'], true),
      node('k', 'Constant', [], [], ['lo'], true),
      node('conv', 'Conv', ['x'], ['w'], ['c']),
      node('clip', 'Clip', ['c'], ['lo', 'lo'], ['y']),
    ],
    edges: [
      { tensor: 'x', from: null, to: ['conv'], dtype: 'float', shape: [1, 3, 8, 8] },
      { tensor: 'w', from: 'id', to: ['conv'], dtype: 'float', shape: [4, 3, 1, 1] },
      { tensor: 'lo', from: 'k', to: ['clip'], dtype: 'float', shape: [] },
      { tensor: 'c', from: 'conv', to: ['clip'], dtype: 'float', shape: null },
      { tensor: 'y', from: 'clip', to: [], dtype: 'float', shape: null },
    ],
  };
}

describe('layersOnly', () => {
  it('leaves out folded nodes and the edges they start, drawing only layers and the model\'s input and output', () => {
    const graph = exported();
    expect(foldedCount(graph)).toBe(2);
    const shown = layersOnly(graph);
    expect(shown.nodes.map((n) => n.id)).toEqual(['conv', 'clip']);
    const vis = buildVisibleGraph(shown, buildGroupTree(shown), new Set());
    expect(vis.nodes.map((n) => n.id).sort()).toEqual(['I:x', 'L:clip', 'L:conv', 'O:y']);
    expect(vis.edges.map((e) => e.id).sort()).toEqual(['I:x→L:conv', 'L:clip→O:y', 'L:conv→L:clip']);
  });

  it('is the raw graph itself when nothing is folded, and one copy per graph otherwise', () => {
    const graph = exported();
    expect(layersOnly(graph)).toBe(layersOnly(graph));
    const plain = layersOnly(graph);
    expect(layersOnly(plain)).toBe(plain);
    // The raw graph still draws every node and edge.
    const raw = buildVisibleGraph(graph, buildGroupTree(graph), new Set());
    expect(raw.nodes.map((n) => n.id)).toContain('L:id');
    expect(raw.edges.map((e) => e.id)).toContain('L:k→L:clip');
  });
});
