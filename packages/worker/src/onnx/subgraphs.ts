/** A node's subgraphs, and how messages name nodes and graphs. @module */
import type { GraphProto, NodeProto } from './onnx-schema';

/** A node's graph-valued attributes, `then_branch`, `body`, or `name[i]` for a GRAPHS list. */
export function subgraphsOf(n: NodeProto): Array<{ attribute: string; graph: GraphProto }> {
  const out: Array<{ attribute: string; graph: GraphProto }> = [];
  for (const a of n.attribute) {
    if (a.g) out.push({ attribute: a.name, graph: a.g });
    a.graphs.forEach((graph, i) => out.push({ attribute: `${a.name}[${i}]`, graph }));
  }
  return out;
}

/** `node 'conv1'`, or `node #3 (Conv)` for a node without a name. */
export function nodeLabel(n: NodeProto, index: number): string {
  return n.name ? `node '${n.name}'` : `node #${index} (${n.opType})`;
}

/** `the graph`, or `subgraph 'then_branch' of node 'if3'`. */
export function subgraphLabel(attribute: string, owner: string): string {
  return `subgraph '${attribute}' of ${owner}`;
}
