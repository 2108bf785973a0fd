/**
 * Stable node positions for a network pane in the unit square: a DAG in layers left to right,
 * as the layer graph is laid out; anything else by d3-force.
 * @module
 */
import { forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationNodeDatum } from 'd3-force';
import { orderLayers } from '../graph/layer-order';
import { buildLayeredGraph } from '../graph/layering';

export interface Point {
  x: number;
  y: number;
}

type Edge = { source: number; target: number };

/** Past this many nodes the simulation would stall the page: they keep d3's starting spiral. */
const FORCE_MAX_NODES = 1500;

/** The edges between two different nodes that exist. */
const validEdges = (count: number, edges: readonly Edge[]) => edges.filter((e) => e.source < count && e.target < count && e.source !== e.target);

/**
 * A force-directed drawing (d3-force starts from a fixed spiral and seeds its
 * own random source, so it is deterministic).
 * @param edges pairs of node indices; out-of-range ones are ignored
 * @returns one point per node, each coordinate in [0, 1]
 * @example layoutNetwork(3, [{ source: 0, target: 1 }, { source: 1, target: 2 }])
 */
export function layoutNetwork(count: number, edges: readonly Edge[]): Point[] {
  if (count <= 1) return count === 1 ? [{ x: 0.5, y: 0.5 }] : [];
  const nodes: SimulationNodeDatum[] = Array.from({ length: count }, () => ({}));
  const links = validEdges(count, edges).map(({ source, target }) => ({ source, target }));
  const simulation = forceSimulation(nodes)
    .force('charge', forceManyBody())
    .force('link', forceLink(links))
    // A weak pull to the centre keeps separate components on screen.
    .force('x', forceX())
    .force('y', forceY())
    .stop();
  if (count <= FORCE_MAX_NODES) simulation.tick(count <= 200 ? 300 : 120);
  return normalise(nodes.map((n) => ({ x: n.x ?? 0, y: n.y ?? 0 })));
}

/**
 * A layered drawing: one column per layer, nodes within a column in the
 * order that crosses the fewest edges.
 * @returns undefined when the network has a cycle
 * @example layoutLayered(3, [{ source: 0, target: 1 }, { source: 1, target: 2 }]) // three points on a line
 */
export function layoutLayered(count: number, edges: readonly Edge[]): Point[] | undefined {
  const lg = buildLayeredGraph(count, validEdges(count, edges).map((e) => [e.source, e.target] as const));
  if (lg.reversed.includes(true)) return undefined;
  const order = orderLayers(lg);
  const pos: Point[] = new Array<Point>(count);
  order.forEach((layer, l) => {
    const real = layer.filter((v) => v < count);
    real.forEach((v, i) => (pos[v] = { x: order.length === 1 ? 0.5 : l / (order.length - 1), y: (i + 0.5) / real.length }));
  });
  return pos;
}

/** Scale into [0, 1] on both axes, keeping the aspect ratio and centring. */
function normalise(pos: Point[]): Point[] {
  const xs = pos.map((p) => p.x);
  const ys = pos.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0) || 1;
  const ox = (1 - (x1 - x0) / span) / 2;
  const oy = (1 - (y1 - y0) / span) / 2;
  return pos.map((p) => ({ x: ox + (p.x - x0) / span, y: oy + (p.y - y0) / span }));
}

/** Colours for `club` groups, in order of first appearance. */
const CLUB_COLORS = [
  '#2563eb', '#f97316', '#16a34a', '#dc2626', '#9333ea',
  '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d',
];

/** Each node's colour: one per distinct club; nodes without a club share the first. */
export function clubColors(clubs: ReadonlyArray<string | number | undefined>): string[] {
  const seen = new Map<string, number>();
  return clubs.map((club) => {
    const key = club === undefined ? '' : String(club);
    if (!seen.has(key)) seen.set(key, seen.size);
    return CLUB_COLORS[(seen.get(key) as number) % CLUB_COLORS.length] as string;
  });
}
