/**
 * The layer graph without its weight-only nodes (`folded`: an exporter's
 * Identity of a bias, a Clip's Constant bounds). They are parameters of the
 * layers that read them, which list them among their weights; the "All nodes"
 * toggle draws the raw graph instead.
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';

const cache = new WeakMap<LayerGraph, LayerGraph>();

/** How many weight-only nodes the graph has. */
export function foldedCount(graph: Pick<LayerGraph, 'nodes'>): number {
  let n = 0;
  for (const node of graph.nodes) if (node.folded) n++;
  return n;
}

/**
 * The graph with folded nodes and their outgoing edges left out (the same
 * object when there are none; one copy per graph otherwise).
 * @example layersOnly(graph).nodes.some((n) => n.folded) // false
 */
export function layersOnly(graph: LayerGraph): LayerGraph {
  if (foldedCount(graph) === 0) return graph;
  const hit = cache.get(graph);
  if (hit) return hit;
  const folded = new Set(graph.nodes.filter((n) => n.folded).map((n) => n.id));
  const out: LayerGraph = {
    ...graph,
    nodes: graph.nodes.filter((n) => !folded.has(n.id)),
    edges: graph.edges.filter((e) => e.from === null || !folded.has(e.from)).map((e) => ({ ...e, to: e.to.filter((id) => !folded.has(id)) })),
  };
  cache.set(graph, out);
  return out;
}
