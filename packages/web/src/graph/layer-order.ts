/**
 * Step 2 of the layered layout (LAYOUT.md): node order within each layer, by barycenter sweeps.
 * @module
 */
import type { LayeredGraph } from './layering';

/** Down+up sweep pairs; past four the crossing count of CNN graphs stops moving. */
const ORDER_SWEEPS = 4;

/** Crossings between two neighbouring layers: inversions among their edges, counted with a Fenwick tree. */
function crossingsBetween(upper: readonly number[], lower: readonly number[], down: readonly number[][], pos: Int32Array): number {
  const ends: number[] = [];
  for (const u of upper) {
    const targets = (down[u] ?? []).map((v) => pos[v] ?? 0).sort((a, b) => a - b);
    ends.push(...targets);
  }
  const tree = new Int32Array(lower.length + 1);
  let crossings = 0;
  for (let i = 0; i < ends.length; i++) {
    const p = (ends[i] ?? 0) + 1;
    // Edges seen so far (to the left above) that end to the right below cross this one.
    let notRight = 0;
    for (let k = p; k > 0; k -= k & -k) notRight += tree[k] ?? 0;
    crossings += i - notRight;
    for (let k = p; k <= lower.length; k += k & -k) tree[k] = (tree[k] ?? 0) + 1;
  }
  return crossings;
}

/** Total crossings of an order (`pos` holds each node's index within its layer). */
export function countCrossings(lg: LayeredGraph, order: readonly number[][]): number {
  const pos = positions(lg, order);
  let total = 0;
  for (let l = 0; l + 1 < order.length; l++) total += crossingsBetween(order[l] ?? [], order[l + 1] ?? [], lg.down, pos);
  return total;
}

function positions(lg: LayeredGraph, order: readonly number[][]): Int32Array {
  const pos = new Int32Array(lg.layer.length);
  for (const layer of order) layer.forEach((v, i) => (pos[v] = i));
  return pos;
}

/** Reorder one layer by the mean position of its neighbours in the layer just swept; lonely nodes keep their place. */
function sweepLayer(layer: number[], neighbours: readonly number[][], pos: Int32Array): void {
  const key = new Map<number, number>();
  for (const v of layer) {
    const ns = neighbours[v] ?? [];
    let sum = 0;
    for (const w of ns) sum += pos[w] ?? 0;
    key.set(v, ns.length > 0 ? sum / ns.length : (pos[v] ?? 0));
  }
  layer.sort((a, b) => (key.get(a) ?? 0) - (key.get(b) ?? 0)); // stable: ties keep the current order
  layer.forEach((v, i) => (pos[v] = i));
}

/**
 * @example
 * const order = orderLayers(buildLayeredGraph(n, edges));
 * order[0] // node indices of the top layer, left to right
 */
export function orderLayers(lg: LayeredGraph): number[][] {
  // Model order, each dummy right after the node its edge leaves.
  const rank = (v: number) => (v < lg.real ? v : (lg.chains[lg.dummyEdge[v - lg.real] ?? 0]?.[0] ?? 0) + 0.5);
  const order = lg.layers.map((layer) => [...layer].sort((a, b) => rank(a) - rank(b)));
  const pos = positions(lg, order);
  let best = order.map((layer) => [...layer]);
  let fewest = countCrossings(lg, order);
  for (let s = 0; s < ORDER_SWEEPS && fewest > 0; s++) {
    for (let l = 1; l < order.length; l++) sweepLayer(order[l] ?? [], lg.up, pos);
    for (let l = order.length - 2; l >= 0; l--) sweepLayer(order[l] ?? [], lg.down, pos);
    const crossings = countCrossings(lg, order);
    if (crossings < fewest) {
      fewest = crossings;
      best = order.map((layer) => [...layer]);
    }
  }
  return best;
}
