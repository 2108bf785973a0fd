/**
 * The ELK graph for a visible graph: node sizes from their text, groups as compound nodes while
 * small, options in tiers by size. Edge labels are left out: they double ELK's work.
 * @module
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api';
import type { VisibleGraph, VisibleNode } from './visible-graph';

/** Text widths in px; the view measures with its canvas font, tests estimate. */
export type MeasureText = (text: string, style: 'title' | 'subtitle') => number;

/** Box geometry shared with the renderer. */
export const NODE = { height: 38, minWidth: 84, maxWidth: 220, padX: 14, ioHeight: 34 } as const;
/** Room between layers for an edge's shape label. */
export const LAYER_GAP = 34;
/** Above this many visible nodes, groups are laid out flat: hierarchy costs ELK about twice the time. */
export const COMPOUND_LIMIT = 600;
/** The title strip across the top of a group frame (its `▾ name`): room for it, and what edge labels keep off. */
export const BOX_HEADER = 24;

/** Up to this many visible nodes, ELK gets more tries at fewer crossings. */
const DETAILED_LIMIT = 250;

/**
 * Options for ELK's layered algorithm, in three tiers by size. Small graphs
 * get thorough crossing minimisation. Past {@link COMPOUND_LIMIT} nodes the
 * crossing minimiser is off (the model's topological order is the order
 * within a layer, which for exported CNNs is already the natural one) and
 * nodes are placed by ELK's simple placer: ELK's fastest settings, and still
 * too slow for graphs that big (LAYOUT.md).
 */
export function layoutOptions(nodeCount: number): LayoutOptions {
  const tier = nodeCount <= DETAILED_LIMIT ? 'detailed' : nodeCount <= COMPOUND_LIMIT ? 'medium' : 'fast';
  const base: LayoutOptions = {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.edgeRouting': 'POLYLINE',
    'elk.spacing.nodeNode': '24',
    'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
    'elk.layered.spacing.edgeNodeBetweenLayers': '14',
    'elk.spacing.edgeNode': '14',
    // Absolute coordinates for every shape and edge, whatever box they sit in.
    'elk.json.shapeCoords': 'ROOT',
    'elk.json.edgeCoords': 'ROOT',
  };
  if (tier === 'detailed') return { ...base, 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES' };
  if (tier === 'medium') return { ...base, 'elk.layered.thoroughness': '1', 'elk.layered.crossingMinimization.greedySwitch.type': 'OFF' };
  return {
    ...base,
    'elk.layered.crossingMinimization.strategy': 'NONE',
    'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
    'elk.layered.nodePlacement.strategy': 'SIMPLE',
  };
}

/** @example nodeSize(node, (t) => t.length * 7) // { width: 84, height: 38 } */
export function nodeSize(node: VisibleNode, measure: MeasureText): { width: number; height: number } {
  const text = Math.max(measure(node.title, 'title'), measure(node.subtitle, 'subtitle'));
  const extra = node.kind === 'group' ? 22 : 0; // the ▸ expander
  const width = Math.min(NODE.maxWidth, Math.max(NODE.minWidth, Math.ceil(text + 2 * NODE.padX + extra)));
  const io = node.kind === 'input' || node.kind === 'output';
  return { width, height: io ? NODE.ioHeight : NODE.height };
}

/**
 * @example
 * const elkGraph = buildLayoutInput(vis, measure);
 * const laidOut = await elk.layout(elkGraph);
 */
export function buildLayoutInput(vis: VisibleGraph, measure: MeasureText): ElkNode {
  const hierarchy = vis.boxes.length > 0 && vis.nodes.length <= COMPOUND_LIMIT;
  const root: ElkNode = { id: '__root', layoutOptions: layoutOptions(vis.nodes.length), children: [], edges: [] };
  const containers = new Map<string, ElkNode>();
  if (hierarchy) {
    // Boxes come outermost first, so a parent frame exists before its children.
    for (const box of vis.boxes) {
      const frame: ElkNode = {
        id: box.id,
        children: [],
        layoutOptions: { 'elk.padding': `[top=${BOX_HEADER + 6},left=12,bottom=12,right=12]` },
      };
      containers.set(box.id, frame);
      (containers.get(box.parent ?? '') ?? root).children?.push(frame);
    }
    root.layoutOptions = { ...root.layoutOptions, 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' };
  }
  for (const node of vis.nodes) {
    const parent = hierarchy ? containers.get(node.parent ?? '') ?? root : root;
    parent.children?.push({ id: node.id, ...nodeSize(node, measure) });
  }
  root.edges = vis.edges.map((e): ElkExtendedEdge => ({ id: e.id, sources: [e.from], targets: [e.to] }));
  return root;
}
