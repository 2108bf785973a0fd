/**
 * Our own layered layout for big graphs (LAYOUT.md): its geometry and its assembly into a
 * {@link GraphLayout}.
 * @module
 */
import { LAYER_GAP, nodeSize, type MeasureText } from './layout-input';
import { boundsOf, midpoint, type GraphLayout, type PlacedEdge, type PlacedNode } from './layout-result';
import { buildLayeredGraph, type LayeredGraph } from './layering';
import { orderLayers } from './layer-order';
import { placeLayers } from './layer-placement';
import type { VisibleEdge, VisibleGraph } from './visible-graph';

/** Space around the drawing, as ELK's default padding. */
const PADDING = 12;
/** Gaps within a layer: node–node as ELK's `spacing.nodeNode`, node–edge as `spacing.edgeNode`. */
const gap = (aDummy: boolean, bDummy: boolean) => (aDummy && bDummy ? 10 : aDummy || bDummy ? 14 : 24);
/** Most room the ports of one node side spread over, as a share of its width. */
const PORT_SPREAD = 0.6;

/** Where each edge leaves or enters a node: spread over its middle, in the left-to-right order of the other ends. */
function portXs(lg: LayeredGraph, x: Float64Array, width: readonly number[], side: 'out' | 'in'): Map<number, number> {
  const ports = new Map<number, number>(); // edge index → x
  const byNode = new Map<number, number[]>();
  lg.chains.forEach((chain, e) => {
    const node = side === 'out' ? chain[0] : chain[chain.length - 1];
    if (node === undefined) return;
    const list = byNode.get(node);
    if (list) list.push(e);
    else byNode.set(node, [e]);
  });
  for (const [node, edges] of byNode) {
    const other = (e: number) => {
      const chain = lg.chains[e] ?? [];
      return x[(side === 'out' ? chain[1] : chain[chain.length - 2]) ?? node] ?? 0;
    };
    edges.sort((a, b) => other(a) - other(b) || a - b);
    const step = edges.length > 1 ? Math.min(12, ((width[node] ?? 0) * PORT_SPREAD) / (edges.length - 1)) : 0;
    edges.forEach((e, i) => ports.set(e, (x[node] ?? 0) + (i - (edges.length - 1) / 2) * step));
  }
  return ports;
}

/**
 * Drop points in the middle of a vertical run: a long straight edge needs only
 * its ends. Within 0.1 px counts as straight (placement leaves float noise).
 */
function simplify(points: number[]): number[] {
  const out: number[] = [];
  const same = (a: number | undefined, b: number | undefined) => Math.abs((a ?? 0) - (b ?? 0)) < 0.1;
  for (let i = 0; i < points.length; i += 2) {
    const n = out.length;
    const straight = n >= 4 && same(out[n - 2], points[i]) && same(out[n - 4], points[i]);
    if (straight) out.splice(n - 2, 2);
    out.push(points[i] ?? 0, points[i + 1] ?? 0);
  }
  return out;
}

/** What the geometry needs: node sizes, and edges as (from, to) indices into them. */
export interface LayeredInput {
  sizes: Array<{ width: number; height: number }>;
  pairs: Array<readonly [number, number]>;
}

/** Where everything goes: node boxes' top-left corners, and each edge of `pairs` in order. */
export interface LayeredGeometry {
  x: number[];
  y: number[];
  edges: Array<{ points: number[]; label: { x: number; y: number } }>;
  width: number;
  height: number;
}

/**
 * The layout itself, on numbers only (it runs in the worker).
 * @example layeredGeometry({ sizes: [{ width: 84, height: 38 }, { width: 84, height: 38 }], pairs: [[0, 1]] })
 */
export function layeredGeometry({ sizes, pairs }: LayeredInput): LayeredGeometry {
  const lg = buildLayeredGraph(sizes.length, pairs);
  const order = orderLayers(lg);
  const width = lg.layer.map((_, v) => (v < lg.real ? (sizes[v]?.width ?? 0) : 0));
  const x = placeLayers(lg, order, { widths: width, gap });

  let left = Infinity;
  let right = -Infinity;
  width.forEach((w, v) => {
    left = Math.min(left, (x[v] ?? 0) - w / 2);
    right = Math.max(right, (x[v] ?? 0) + w / 2);
  });
  if (!Number.isFinite(left)) [left, right] = [0, 0];
  const shift = PADDING - left;
  for (let v = 0; v < x.length; v++) x[v] = (x[v] ?? 0) + shift;
  const layerTop: number[] = [];
  const layerHeight = order.map((layer) => layer.reduce((h, v) => Math.max(h, sizes[v]?.height ?? 0), 0));
  let y = PADDING;
  for (const h of layerHeight) {
    layerTop.push(y);
    y += h + LAYER_GAP;
  }
  const height = y - LAYER_GAP + PADDING;

  const boxes = sizes.map((size, v) => {
    const l = lg.layer[v] ?? 0;
    return { x: (x[v] ?? 0) - size.width / 2, y: (layerTop[l] ?? 0) + ((layerHeight[l] ?? 0) - size.height) / 2, w: size.width, h: size.height };
  });
  const outX = portXs(lg, x, width, 'out');
  const inX = portXs(lg, x, width, 'in');
  const edges = pairs.map((_, e) => {
    const chain = lg.chains[e] ?? [];
    const [head, tail] = [boxes[chain[0] ?? 0], boxes[chain[chain.length - 1] ?? 0]];
    const points = [outX.get(e) ?? 0, (head?.y ?? 0) + (head?.h ?? 0)];
    for (const d of chain.slice(1, -1)) {
      const l = lg.layer[d] ?? 0;
      points.push(x[d] ?? 0, layerTop[l] ?? 0, x[d] ?? 0, (layerTop[l] ?? 0) + (layerHeight[l] ?? 0));
    }
    points.push(inX.get(e) ?? 0, tail?.y ?? 0);
    // The shape label goes in the middle gap between layers, where nothing else is drawn (its middle by length can sit beside a node).
    const j = 4 * Math.floor((chain.length - 2) / 2);
    const label = midpoint(points.slice(j, j + 4));
    let path = simplify(points);
    if (lg.reversed[e]) path = Array.from({ length: path.length }, (_, i) => path[path.length - 2 - i + 2 * (i % 2)] ?? 0);
    return { points: path, label };
  });
  return { x: boxes.map((b) => b.x), y: boxes.map((b) => b.y), edges, width: right - left + 2 * PADDING, height };
}

/** The geometry's input for a visible graph (sizes measured here, where the canvas fonts are), and the edges it lays out. */
export function layeredInput(vis: VisibleGraph, measure: MeasureText): { input: LayeredInput; kept: VisibleEdge[] } {
  const index = new Map(vis.nodes.map((n, i) => [n.id, i]));
  const kept = vis.edges.filter((e) => index.has(e.from) && index.has(e.to) && e.from !== e.to);
  const pairs = kept.map((e) => [index.get(e.from) ?? 0, index.get(e.to) ?? 0] as const);
  return { input: { sizes: vis.nodes.map((n) => nodeSize(n, measure)), pairs }, kept };
}

/** The drawing of `vis` from its geometry (`kept` as {@link layeredInput} gave it). */
export function assembleLayered(vis: VisibleGraph, input: LayeredInput, kept: readonly VisibleEdge[], geo: LayeredGeometry): GraphLayout {
  const nodes: PlacedNode[] = vis.nodes.map((node, v) => {
    const size = input.sizes[v] ?? { width: 0, height: 0 };
    return { node, x: geo.x[v] ?? 0, y: geo.y[v] ?? 0, w: size.width, h: size.height };
  });
  const edges: PlacedEdge[] = kept.map((edge, e) => {
    const { points, label } = geo.edges[e] ?? { points: [], label: { x: 0, y: 0 } };
    return { edge, points, bounds: boundsOf(points), label };
  });
  return { nodes, boxes: [], edges, byId: new Map(nodes.map((p) => [p.node.id, p])), width: geo.width, height: geo.height };
}
