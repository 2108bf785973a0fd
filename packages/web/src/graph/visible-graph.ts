/**
 * The graph as drawn: layers outside folded groups, a box per folded group, inputs and
 * outputs, edges merged between them, and by default no weight-only nodes.
 * @module
 */
import type { LayerGraph, LayerNode } from '@cnnvis/protocol';
import type { GroupTree } from './groups';
import { formatShape, shortName } from './labels';

export type VisibleKind = 'layer' | 'group' | 'input' | 'output';

export interface VisibleNode {
  /** `L:` + layer id, `G:` + group path, `I:`/`O:` + tensor name: never collide. */
  id: string;
  kind: VisibleKind;
  /** Big text: op type, group name, or tensor name. */
  title: string;
  /** Small text: short layer name, layer count, or shape. */
  subtitle: string;
  /** The expanded group (`G:` id) whose box holds this node, or null. */
  parent: string | null;
  /** The layer, for `layer` nodes. */
  layer?: LayerNode;
  /** Group path, for `group` nodes and boxes. */
  group?: string;
  /** Layer ids inside, for `group` nodes. */
  members?: string[];
}

export interface VisibleEdge {
  id: string;
  from: string;
  to: string;
  /** The first tensor that flows along it. */
  tensor: string;
  /** Its shape as text (`1×64×56×56`), or '' when unknown. */
  label: string;
  /** How many tensors were merged into this edge. */
  count: number;
}

export interface VisibleGraph {
  nodes: VisibleNode[];
  edges: VisibleEdge[];
  /** Expanded groups drawn as frames around their contents (`G:` ids), outermost first. */
  boxes: VisibleNode[];
}

export const layerKey = (id: string) => `L:${id}`;
export const groupKey = (path: string) => `G:${path}`;

/**
 * @example
 * const vis = buildVisibleGraph(graph, buildGroupTree(graph), new Set(['layer1']));
 * vis.nodes.find((n) => n.id === 'G:layer1')?.subtitle // '12 layers'
 */
export function buildVisibleGraph(graph: LayerGraph, tree: GroupTree, collapsed: ReadonlySet<string>): VisibleGraph {
  const nodes = new Map<string, VisibleNode>();
  const boxes = new Map<string, VisibleNode>();
  const parentOf = (path: string | null) => (path === null ? null : groupKey(path));
  const box = (path: string) => {
    const info = tree.groups.get(path);
    if (info === undefined || boxes.has(groupKey(path))) return;
    if (info.parent !== null) box(info.parent);
    boxes.set(groupKey(path), { id: groupKey(path), kind: 'group', title: info.name, subtitle: `${info.size} layers`, parent: parentOf(info.parent), group: path });
  };
  /** Visible id of each layer. */
  const owner = new Map<string, string>();
  for (const layer of graph.nodes) {
    const chain = tree.chains.get(layer.id) ?? [];
    const shut = chain.findIndex((p) => collapsed.has(p));
    if (shut < 0) {
      const inner = chain[chain.length - 1] ?? null;
      if (inner !== null) box(inner);
      const id = layerKey(layer.id);
      nodes.set(id, { id, kind: 'layer', title: layer.op, subtitle: shortName(layer.id, layer.op), parent: parentOf(inner), layer });
      owner.set(layer.id, id);
      continue;
    }
    const path = chain[shut] as string;
    const id = groupKey(path);
    const outer = shut > 0 ? (chain[shut - 1] as string) : null;
    if (outer !== null) box(outer);
    let node = nodes.get(id);
    if (node === undefined) {
      const info = tree.groups.get(path);
      node = { id, kind: 'group', title: info?.name ?? path, subtitle: `${info?.size ?? 0} layers`, parent: parentOf(outer), group: path, members: [] };
      nodes.set(id, node);
    }
    node.members?.push(layer.id);
    owner.set(layer.id, id);
  }

  const initializers = new Set(graph.initializers.map((i) => i.name));
  const shapes = new Map(graph.edges.map((e) => [e.tensor, e.shape]));
  const io = (kind: 'input' | 'output', name: string) => {
    const id = `${kind === 'input' ? 'I' : 'O'}:${name}`;
    if (!nodes.has(id)) nodes.set(id, { id, kind, title: name, subtitle: formatShape(shapes.get(name) ?? null), parent: null });
    return id;
  };
  for (const input of graph.inputs) if (!initializers.has(input.name)) io('input', input.name);

  const edges = new Map<string, VisibleEdge>();
  const link = (from: string, to: string, tensor: string, label: string) => {
    if (from === to) return; // inside one collapsed group
    const id = `${from}\u2192${to}`;
    const old = edges.get(id);
    if (old) old.count++;
    else edges.set(id, { id, from, to, tensor, label, count: 1 });
  };
  const outputs = new Set(graph.outputs.map((o) => o.name));
  for (const edge of graph.edges) {
    const from = edge.from === null ? (initializers.has(edge.tensor) ? undefined : io('input', edge.tensor)) : owner.get(edge.from);
    if (from === undefined) continue;
    const label = formatShape(edge.shape);
    for (const to of edge.to) {
      const target = owner.get(to);
      if (target !== undefined) link(from, target, edge.tensor, label);
    }
    if (outputs.has(edge.tensor)) link(from, io('output', edge.tensor), edge.tensor, label);
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()], boxes: [...boxes.values()] };
}

const layersOnlyCache = new WeakMap<LayerGraph, LayerGraph>();

/**
 * How many weight-only (`folded`) nodes the graph has: an exporter's Identity of a bias, a Clip's
 * Constant bounds. They are parameters of the layers that read them, which list them among their
 * weights; the "All nodes" toggle draws the raw graph instead.
 */
export function foldedCount(graph: Pick<LayerGraph, 'nodes'>): number {
  return graph.nodes.filter((node) => node.folded).length;
}

/**
 * The graph with folded nodes and their outgoing edges left out (the same
 * object when there are none; one copy per graph otherwise).
 * @example layersOnly(graph).nodes.some((n) => n.folded) // false
 */
export function layersOnly(graph: LayerGraph): LayerGraph {
  if (foldedCount(graph) === 0) return graph;
  const hit = layersOnlyCache.get(graph);
  if (hit) return hit;
  const folded = new Set(graph.nodes.filter((n) => n.folded).map((n) => n.id));
  const out: LayerGraph = {
    ...graph,
    nodes: graph.nodes.filter((n) => !folded.has(n.id)),
    edges: graph.edges.filter((e) => e.from === null || !folded.has(e.from)).map((e) => ({ ...e, to: e.to.filter((id) => !folded.has(id)) })),
  };
  layersOnlyCache.set(graph, out);
  return out;
}
