/**
 * What the graph pane knows between frames: graph, group tree, folds, visible graph,
 * layout and search. A newer layout request makes an older answer moot.
 * @module
 */
import type { GraphContent, LayerGraph, LayerNode } from '@cnnvis/protocol';
import { buildGroupTree, initialCollapsed, reveal, type GroupTree } from '../../graph/groups';
import { placeEdgeLabels } from '../../graph/edge-labels';
import { layOutGraph } from '../../graph/layout-graph';
import type { MeasureText } from '../../graph/layout-input';
import type { GraphLayout } from '../../graph/layout-result';
import { searchLayers } from '../../graph/search';
import { buildVisibleGraph, groupKey, layerKey, layersOnly, type VisibleGraph } from '../../graph/visible-graph';
import { FONTS } from './graph-style';

/** Visible boxes a big model starts with; the rest is folded into groups. */
const DEFAULT_BUDGET = 150;

export interface GraphModelState {
  /** Replaced in place when a new run of the same model arrives. */
  content: GraphContent;
  /** Draw weight-only (folded) nodes too: the raw graph. */
  allNodes: boolean;
  tree: GroupTree;
  collapsed: Set<string>;
  vis: VisibleGraph;
  layout: GraphLayout | undefined;
  /** Milliseconds the last layout took, worker round trip included. */
  layoutMs: number;
  matches: LayerNode[];
}

const widths = new Map<string, number>();
let measurer: CanvasRenderingContext2D | null | undefined;

/** Text width in a canvas font the painter uses, cached per font and string. */
function measure(text: string, font: string): number {
  const key = `${font}\u0000${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    measurer ??= document.createElement('canvas').getContext('2d');
    if (!measurer) return text.length * 7;
    measurer.font = font;
    w = measurer.measureText(text).width;
    widths.set(key, w);
  }
  return w;
}

/** Node text widths, in the painter's title and subtitle fonts. */
export const measureText: MeasureText = (text, style) => measure(text, style === 'title' ? FONTS.title : FONTS.subtitle);

/** The graph as drawn: without weight-only nodes unless `allNodes`. */
export function shownGraph(state: Pick<GraphModelState, 'content' | 'allNodes'>): LayerGraph {
  return state.allNodes ? state.content.graph : layersOnly(state.content.graph);
}

/** @example const state = createGraphState(content, 150); await relayout(state); */
export function createGraphState(content: GraphContent, budget = DEFAULT_BUDGET): GraphModelState {
  const graph = layersOnly(content.graph);
  const tree = buildGroupTree(graph);
  const collapsed = initialCollapsed(tree, graph.nodes.length, budget);
  return { content, allNodes: false, tree, collapsed, vis: buildVisibleGraph(graph, tree, collapsed), layout: undefined, layoutMs: 0, matches: [] };
}

/** Switch between the layers and the raw graph; groups keep their folds where they still exist. Relayout after. */
export function setAllNodes(state: GraphModelState, on: boolean): void {
  state.allNodes = on;
  state.tree = buildGroupTree(shownGraph(state));
  state.collapsed = new Set([...state.collapsed].filter((path) => state.tree.groups.has(path)));
}

const tokens = new WeakMap<GraphModelState, number>();

/**
 * Rebuild the visible graph from `state.collapsed` and lay it out.
 * @returns false when a newer relayout started meanwhile (this one is dropped)
 */
export async function relayout(state: GraphModelState): Promise<boolean> {
  const token = (tokens.get(state) ?? 0) + 1;
  tokens.set(state, token);
  const vis = buildVisibleGraph(shownGraph(state), state.tree, state.collapsed);
  const { layout, ms } = await layOutGraph(vis, measureText);
  if (tokens.get(state) !== token) return false;
  placeEdgeLabels(layout, (text) => measure(text, FONTS.edge));
  state.vis = vis;
  state.layout = layout;
  state.layoutMs = ms;
  return true;
}

/** The visible id that stands for a layer: itself, or the folded group it hides in. */
function visibleIdOf(state: GraphModelState, layerId: string): string {
  const chain = state.tree.chains.get(layerId) ?? [];
  const shut = chain.find((p) => state.collapsed.has(p));
  return shut === undefined ? layerKey(layerId) : groupKey(shut);
}

/** Open every group around `layerId`; true when that changed anything. */
export function revealLayer(state: GraphModelState, layerId: string): boolean {
  const next = reveal(state.tree, state.collapsed, layerId);
  if (next.size === state.collapsed.size) return false;
  state.collapsed = next;
  return true;
}

/** Search the model's layers; the visible ids to highlight. */
export function runSearch(state: GraphModelState, query: string): Set<string> {
  state.matches = searchLayers(shownGraph(state).nodes, query);
  return new Set(state.matches.map((m) => visibleIdOf(state, m.id)));
}
