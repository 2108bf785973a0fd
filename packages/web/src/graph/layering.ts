/**
 * Step 1 of the layered layout (LAYOUT.md): cycles broken, layers, and dummy nodes for long
 * edges. Nodes are indices, real ones first.
 * @module
 */

export interface LayeredGraph {
  /** Real nodes are `0 … real-1`; dummies follow. */
  real: number;
  /** Layer of each node (real and dummy), 0 at the top. */
  layer: number[];
  /** Node indices per layer (their order is decided later). */
  layers: number[][];
  /** Neighbours one layer up / down, per node. */
  up: number[][];
  down: number[][];
  /** Per input edge, the nodes it passes top to bottom: its upper end, its dummies, its lower end. */
  chains: number[][];
  /** Per input edge: true when it was turned round to break a cycle (it is drawn bottom to top). */
  reversed: boolean[];
  /** For each dummy (index − real), the edge it belongs to. */
  dummyEdge: number[];
}

/**
 * Edges that close a cycle, found by a depth-first search in node order (the
 * model's order, so the edge turned round is the one pointing back in it).
 */
function backEdges(n: number, edges: readonly (readonly [number, number])[]): boolean[] {
  const out: number[][] = Array.from({ length: n }, () => []);
  edges.forEach(([a], i) => out[a]?.push(i));
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const back = edges.map(() => false);
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    const stack: [number, number][] = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as [number, number];
      const [v, next] = top;
      const e = out[v]?.[next];
      if (e === undefined) {
        state[v] = 2;
        stack.pop();
        continue;
      }
      top[1]++;
      const w = edges[e]?.[1] ?? 0;
      if (state[w] === 1) back[e] = true;
      else if (state[w] === 0) {
        state[w] = 1;
        stack.push([w, 0]);
      }
    }
  }
  return back;
}

/**
 * Longest-path layering (each node one layer below its lowest predecessor),
 * then sources moved down to just above their first consumer, so a model
 * input or a constant does not hang far above the layer that reads it.
 */
function assignLayers(n: number, arcs: readonly (readonly [number, number])[]): number[] {
  const succ: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const [a, b] of arcs) {
    succ[a]?.push(b);
    indegree[b] = (indegree[b] ?? 0) + 1;
  }
  const layer = new Array<number>(n).fill(0);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] ?? 0;
    for (const w of succ[v] ?? []) {
      layer[w] = Math.max(layer[w] ?? 0, (layer[v] ?? 0) + 1);
      indegree[w] = (indegree[w] ?? 0) - 1;
      if (indegree[w] === 0) queue.push(w);
    }
  }
  const hasPred = new Uint8Array(n);
  for (const [, b] of arcs) hasPred[b] = 1;
  for (let v = 0; v < n; v++) {
    const below = succ[v] ?? [];
    if (hasPred[v] === 0 && below.length > 0) layer[v] = Math.min(...below.map((w) => layer[w] ?? 0)) - 1;
  }
  return layer;
}

/**
 * @example
 * const lg = buildLayeredGraph(3, [[0, 1], [1, 2], [0, 2]]);
 * lg.layer // [0, 1, 2, 1]: the edge 0→2 got one dummy, node 3
 */
export function buildLayeredGraph(n: number, edges: readonly (readonly [number, number])[]): LayeredGraph {
  const reversed = backEdges(n, edges);
  const arcs = edges.map(([a, b], i) => (reversed[i] ? ([b, a] as const) : ([a, b] as const)));
  const layer = assignLayers(n, arcs);
  const up: number[][] = Array.from({ length: n }, () => []);
  const down: number[][] = Array.from({ length: n }, () => []);
  const dummyEdge: number[] = [];
  const chains = arcs.map(([a, b], i) => {
    const chain = [a];
    for (let l = (layer[a] ?? 0) + 1; l < (layer[b] ?? 0); l++) {
      const d = n + dummyEdge.length;
      dummyEdge.push(i);
      layer.push(l);
      up.push([]);
      down.push([]);
      chain.push(d);
    }
    chain.push(b);
    for (let k = 1; k < chain.length; k++) {
      const [u, v] = [chain[k - 1] ?? 0, chain[k] ?? 0];
      down[u]?.push(v);
      up[v]?.push(u);
    }
    return chain;
  });
  const depth = layer.reduce((m, l) => Math.max(m, l + 1), 0);
  const layers: number[][] = Array.from({ length: depth }, () => []);
  layer.forEach((l, v) => layers[l]?.push(v));
  return { real: n, layer, layers, up, down, chains, reversed, dummyEdge };
}
