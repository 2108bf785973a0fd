/**
 * Finding layers by name or op type: an exact op match first, then names by how well they match.
 * @module
 */
import type { LayerNode } from '@cnnvis/protocol';
import { shortName } from './labels';

/** Lower is better; null when the layer does not match at all. */
function rank(node: LayerNode, q: string): number | null {
  const op = node.op.toLowerCase();
  const id = node.id.toLowerCase();
  const short = shortName(node.id, node.op).toLowerCase();
  if (op === q) return 0;
  if (short === q || id === q) return 1;
  if (short.startsWith(q)) return 2;
  if (id.includes(q)) return 3;
  if (op.includes(q)) return 4;
  return null;
}

/**
 * Layers matching `query` (case-insensitive), best first, in graph order within a rank.
 * @example searchLayers(graph.nodes, 'relu').map((n) => n.id) // ['/relu/Relu', '/layer1/layer1.0/relu/Relu', …]
 */
export function searchLayers(nodes: readonly LayerNode[], query: string, limit = 200): LayerNode[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const hits: Array<{ node: LayerNode; r: number; i: number }> = [];
  nodes.forEach((node, i) => {
    const r = rank(node, q);
    if (r !== null) hits.push({ node, r, i });
  });
  hits.sort((a, b) => a.r - b.r || a.i - b.i);
  return hits.slice(0, limit).map((h) => h.node);
}
