/**
 * ELK's answer as what the renderer draws: absolute boxes, and each edge as a polyline with its
 * bounds (to skip it off screen) and its label's place.
 * @module
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { VisibleEdge, VisibleGraph, VisibleNode } from './visible-graph';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PlacedNode extends Rect {
  node: VisibleNode;
}

export interface PlacedEdge {
  edge: VisibleEdge;
  /** x0, y0, x1, y1, … in graph coordinates. */
  points: number[];
  bounds: Rect;
  /** Where the shape label sits (the middle of the edge by length, until edge-labels.ts moves it), or null for none. */
  label: { x: number; y: number } | null;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  /** Frames of expanded groups (empty when laid out flat), outermost first. */
  boxes: PlacedNode[];
  edges: PlacedEdge[];
  byId: ReadonlyMap<string, PlacedNode>;
  width: number;
  height: number;
}

/** @example midpoint([0, 0, 0, 10, 10, 10]) // { x: 0, y: 10 } */
export const midpoint = (points: readonly number[]) => pointAlong(points, 0.5);

/** The point `fraction` of the way along a polyline (x0, y0, x1, y1, …), by length. */
export function pointAlong(points: readonly number[], fraction: number): { x: number; y: number } {
  let total = 0;
  for (let i = 2; i < points.length; i += 2) total += Math.hypot((points[i] ?? 0) - (points[i - 2] ?? 0), (points[i + 1] ?? 0) - (points[i - 1] ?? 0));
  let left = total * fraction;
  for (let i = 2; i < points.length; i += 2) {
    const [x0, y0, x1, y1] = [points[i - 2] ?? 0, points[i - 1] ?? 0, points[i] ?? 0, points[i + 1] ?? 0];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len >= left && len > 0) return { x: x0 + ((x1 - x0) * left) / len, y: y0 + ((y1 - y0) * left) / len };
    left -= len;
  }
  return { x: points[0] ?? 0, y: points[1] ?? 0 };
}

/** The box around a polyline's points (x0, y0, x1, y1, …). */
export function boundsOf(points: readonly number[]): Rect {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < points.length; i += 2) {
    const x = points[i] ?? 0;
    const y = points[i + 1] ?? 0;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** Turn an ELK result (absolute coordinates) into a {@link GraphLayout}. */
export function readLayout(result: ElkNode, vis: VisibleGraph): GraphLayout {
  const known = new Map<string, VisibleNode>([...vis.nodes, ...vis.boxes].map((n) => [n.id, n]));
  const edgeById = new Map(vis.edges.map((e) => [e.id, e]));
  const nodes: PlacedNode[] = [];
  const boxes: PlacedNode[] = [];
  const elkEdges: ElkExtendedEdge[] = [];
  const walk = (elk: ElkNode) => {
    elkEdges.push(...(elk.edges ?? []));
    for (const child of elk.children ?? []) {
      const node = known.get(child.id);
      if (node) {
        const placed = { node, x: child.x ?? 0, y: child.y ?? 0, w: child.width ?? 0, h: child.height ?? 0 };
        (child.children && child.children.length > 0 ? boxes : nodes).push(placed);
      }
      walk(child);
    }
  };
  walk(result);
  const edges: PlacedEdge[] = [];
  for (const elk of elkEdges) {
    const edge = edgeById.get(elk.id);
    if (edge === undefined) continue;
    const points: number[] = [];
    for (const s of elk.sections ?? []) {
      points.push(s.startPoint.x, s.startPoint.y);
      for (const b of s.bendPoints ?? []) points.push(b.x, b.y);
      points.push(s.endPoint.x, s.endPoint.y);
    }
    if (points.length >= 4) edges.push({ edge, points, bounds: boundsOf(points), label: midpoint(points) });
  }
  return {
    nodes,
    boxes,
    edges,
    byId: new Map([...nodes, ...boxes].map((p) => [p.node.id, p])),
    width: result.width ?? 0,
    height: result.height ?? 0,
  };
}
