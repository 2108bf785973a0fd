/**
 * Where to put the nodes of a network pane, as pure functions: a directed
 * acyclic network is drawn in layers, left to right (a pipeline reads like
 * one); anything else gets a deterministic force-directed layout
 * (Fruchterman–Reingold, started on a circle) in the unit square, so the same
 * window always looks the same. Very large networks skip the O(n²) force
 * steps and stay on the circle.
 * @module
 */

export interface Point {
  x: number;
  y: number;
}

/** Past this many nodes the force layout would stall the page. */
const FORCE_MAX_NODES = 1500;

/**
 * @param edges pairs of node indices; out-of-range ones are ignored
 * @returns one point per node, each coordinate in [0, 1]
 * @example layoutNetwork(3, [{ source: 0, target: 1 }, { source: 1, target: 2 }])
 */
export function layoutNetwork(count: number, edges: ReadonlyArray<{ source: number; target: number }>): Point[] {
  const pos: Point[] = Array.from({ length: count }, (_, i) => {
    const a = (2 * Math.PI * i) / Math.max(1, count) + 0.3;
    return { x: 0.5 + 0.4 * Math.cos(a), y: 0.5 + 0.4 * Math.sin(a) };
  });
  if (count <= 1) return pos.map(() => ({ x: 0.5, y: 0.5 }));
  const links = edges.filter((e) => e.source < count && e.target < count && e.source !== e.target);
  if (count <= FORCE_MAX_NODES) {
    const k = Math.sqrt(1 / count); // ideal edge length in the unit square
    const iterations = count <= 200 ? 300 : 120;
    let temperature = 0.1;
    const dx = new Float64Array(count);
    const dy = new Float64Array(count);
    for (let it = 0; it < iterations; it++) {
      dx.fill(0);
      dy.fill(0);
      for (let i = 0; i < count; i++) {
        const pi = pos[i] as Point;
        for (let j = i + 1; j < count; j++) {
          const pj = pos[j] as Point;
          let ddx = pi.x - pj.x;
          let ddy = pi.y - pj.y;
          let d2 = ddx * ddx + ddy * ddy;
          if (d2 < 1e-12) {
            // Coincident nodes: push apart along a fixed, index-dependent direction.
            ddx = 1e-3 * Math.cos(i + j);
            ddy = 1e-3 * Math.sin(i + j);
            d2 = ddx * ddx + ddy * ddy;
          }
          const f = (k * k) / d2; // repulsion k²/d, as a factor of the unit vector times d
          dx[i] = (dx[i] as number) + ddx * f;
          dy[i] = (dy[i] as number) + ddy * f;
          dx[j] = (dx[j] as number) - ddx * f;
          dy[j] = (dy[j] as number) - ddy * f;
        }
      }
      for (const { source, target } of links) {
        const ps = pos[source] as Point;
        const pt = pos[target] as Point;
        const ddx = ps.x - pt.x;
        const ddy = ps.y - pt.y;
        const d = Math.sqrt(ddx * ddx + ddy * ddy) || 1e-6;
        const f = d / k; // attraction d²/k, as a factor of the vector
        dx[source] = (dx[source] as number) - ddx * f;
        dy[source] = (dy[source] as number) - ddy * f;
        dx[target] = (dx[target] as number) + ddx * f;
        dy[target] = (dy[target] as number) + ddy * f;
      }
      for (let i = 0; i < count; i++) {
        const p = pos[i] as Point;
        // A weak pull to the centre keeps separate components on screen.
        const gx = (dx[i] as number) + (0.5 - p.x) * 0.5;
        const gy = (dy[i] as number) + (0.5 - p.y) * 0.5;
        const len = Math.sqrt(gx * gx + gy * gy) || 1;
        const step = Math.min(len, temperature);
        p.x += (gx / len) * step;
        p.y += (gy / len) * step;
      }
      temperature = Math.max(0.002, temperature * 0.97);
    }
  }
  return normalise(pos);
}

/**
 * Layers of a directed network (each node one step right of its furthest
 * predecessor), or undefined when it has a cycle.
 */
export function longestPathLayers(count: number, edges: ReadonlyArray<{ source: number; target: number }>): number[] | undefined {
  const out: number[][] = Array.from({ length: count }, () => []);
  const indegree = new Array<number>(count).fill(0);
  for (const { source, target } of edges) {
    if (source >= count || target >= count || source === target) continue;
    out[source]?.push(target);
    indegree[target] = (indegree[target] as number) + 1;
  }
  const layer = new Array<number>(count).fill(0);
  const queue = [...indegree.keys()].filter((i) => indegree[i] === 0);
  let seen = 0;
  while (queue.length > 0) {
    const node = queue.shift() as number;
    seen++;
    for (const next of out[node] ?? []) {
      layer[next] = Math.max(layer[next] as number, (layer[node] as number) + 1);
      indegree[next] = (indegree[next] as number) - 1;
      if (indegree[next] === 0) queue.push(next);
    }
  }
  return seen === count ? layer : undefined;
}

/**
 * A layered drawing: columns by layer, and within a column nodes ordered by
 * the mean row of their neighbours (a few barycentre sweeps), to cut crossings.
 * @returns undefined when the network has a cycle
 * @example layoutLayered(3, [{ source: 0, target: 1 }, { source: 1, target: 2 }]) // three points on a line
 */
export function layoutLayered(count: number, edges: ReadonlyArray<{ source: number; target: number }>): Point[] | undefined {
  const layer = longestPathLayers(count, edges);
  if (layer === undefined || count === 0) return layer === undefined ? undefined : [];
  const depth = Math.max(...layer) + 1;
  const columns: number[][] = Array.from({ length: depth }, () => []);
  layer.forEach((l, i) => columns[l]?.push(i));
  const neighbours: number[][] = Array.from({ length: count }, () => []);
  for (const { source, target } of edges) {
    if (source >= count || target >= count || source === target) continue;
    neighbours[source]?.push(target);
    neighbours[target]?.push(source);
  }
  const row = new Array<number>(count).fill(0);
  const place = () => columns.forEach((col) => col.forEach((n, i) => (row[n] = (i + 0.5) / col.length)));
  place();
  for (let sweep = 0; sweep < 4; sweep++) {
    for (const col of columns) {
      const key = (n: number) => {
        const ns = neighbours[n] ?? [];
        return ns.length === 0 ? (row[n] as number) : ns.reduce((a, m) => a + (row[m] as number), 0) / ns.length;
      };
      const keys = new Map(col.map((n) => [n, key(n)]));
      col.sort((a, b) => (keys.get(a) as number) - (keys.get(b) as number) || a - b);
    }
    place();
  }
  const pos = layer.map((l, i) => ({ x: depth === 1 ? 0.5 : l / (depth - 1), y: row[i] as number }));
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
export const CLUB_COLORS = [
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
