/**
 * Step 3 of the layered layout (LAYOUT.md): horizontal positions, by sweeps of a weighted
 * isotonic regression (pool-adjacent-violators, linear time).
 * @module
 */
import type { LayeredGraph } from './layering';

interface PlacementOptions {
  /** Width of each node (dummies 0). */
  widths: readonly number[];
  /** Least gap between two neighbours in a layer, by whether each is a dummy. */
  gap: (aDummy: boolean, bDummy: boolean) => number;
  /** Down+up sweep pairs. @default 6 */
  sweeps?: number;
}

/** Far heavier than a dummy: a long edge steps aside rather than pushing the main path off straight. */
const REAL_WEIGHT = 1000;
const DUMMY_WEIGHT = 1;
/** A dummy next to a real node is where its edge bends: it yields all but entirely. */
const BEND_WEIGHT = 1e-3;

/** Scratch space for {@link fitLayer}, sized to the widest layer once: a sweep then allocates nothing. */
interface Scratch {
  want: Float64Array;
  weight: Float64Array;
  means: Float64Array;
  weights: Float64Array;
  sizes: Int32Array;
}

/**
 * Positions `x` (centres) minimising Σ w·(x − want)² subject to the order
 * and gaps: with y = x − offset the constraint is y non-decreasing.
 */
function fitLayer(layer: readonly number[], offset: readonly number[], s: Scratch, x: Float64Array): void {
  let blocks = 0;
  for (let i = 0; i < layer.length; i++) {
    let mean = (s.want[i] ?? 0) - (offset[i] ?? 0);
    let w = s.weight[i] ?? 1;
    let size = 1;
    // Pool with the block on the left while it would sit right of this one.
    while (blocks > 0 && (s.means[blocks - 1] ?? 0) >= mean) {
      blocks--;
      const pw = s.weights[blocks] ?? 0;
      mean = ((s.means[blocks] ?? 0) * pw + mean * w) / (pw + w);
      w += pw;
      size += s.sizes[blocks] ?? 0;
    }
    s.means[blocks] = mean;
    s.weights[blocks] = w;
    s.sizes[blocks] = size;
    blocks++;
  }
  let i = 0;
  for (let b = 0; b < blocks; b++) {
    for (let k = 0; k < (s.sizes[b] ?? 0); k++, i++) x[layer[i] ?? 0] = (s.means[b] ?? 0) + (offset[i] ?? 0);
  }
}

/**
 * Whom each node follows in a sweep, and how firmly. A real node follows its
 * real neighbours (the main path, not the skip edges beside it); a dummy
 * next to a real node is a bend and yields.
 */
function followers(lg: LayeredGraph, neighbours: readonly number[][]): { pick: number[][]; weight: Float64Array } {
  const isDummy = (v: number) => v >= lg.real;
  const weight = new Float64Array(neighbours.length);
  const pick = neighbours.map((all, v) => {
    const real = isDummy(v) ? all : all.filter((w) => !isDummy(w));
    const chosen = real.length > 0 ? real : all;
    const bend = isDummy(v) && chosen.some((w) => !isDummy(w));
    weight[v] = (isDummy(v) ? (bend ? BEND_WEIGHT : DUMMY_WEIGHT) : REAL_WEIGHT) * (chosen.length > 0 ? 1 : 0.25);
    return chosen;
  });
  return { pick, weight };
}

/**
 * @example
 * const x = placeLayers(lg, order, { widths, gap: (a, b) => (a || b ? 14 : 24) });
 */
export function placeLayers(lg: LayeredGraph, order: readonly number[][], opts: PlacementOptions): Float64Array {
  const x = new Float64Array(lg.layer.length);
  const isDummy = (v: number) => v >= lg.real;
  const offsets = order.map((layer) => {
    const offset: number[] = [];
    let at = 0;
    layer.forEach((v, i) => {
      const prev = layer[i - 1];
      if (prev !== undefined) at += ((opts.widths[prev] ?? 0) + (opts.widths[v] ?? 0)) / 2 + opts.gap(isDummy(prev), isDummy(v));
      offset.push(at);
    });
    return offset;
  });
  // Start packed and centred on 0.
  order.forEach((layer, l) => {
    const offset = offsets[l] ?? [];
    const mid = (offset[offset.length - 1] ?? 0) / 2;
    layer.forEach((v, i) => (x[v] = (offset[i] ?? 0) - mid));
  });
  const widest = order.reduce((m, layer) => Math.max(m, layer.length), 0);
  const scratch: Scratch = {
    want: new Float64Array(widest),
    weight: new Float64Array(widest),
    means: new Float64Array(widest),
    weights: new Float64Array(widest),
    sizes: new Int32Array(widest),
  };
  const [fromAbove, fromBelow] = [followers(lg, lg.up), followers(lg, lg.down)];
  const place = (l: number, follow: { pick: number[][]; weight: Float64Array }) => {
    const layer = order[l] ?? [];
    layer.forEach((v, i) => {
      const pick = follow.pick[v] ?? [];
      let sum = 0;
      for (const w of pick) sum += x[w] ?? 0;
      scratch.want[i] = pick.length > 0 ? sum / pick.length : (x[v] ?? 0);
      scratch.weight[i] = follow.weight[v] ?? 1;
    });
    fitLayer(layer, offsets[l] ?? [], scratch, x);
  };
  const before = new Float64Array(x.length);
  for (let s = 0; s < (opts.sweeps ?? 6); s++) {
    before.set(x);
    for (let l = 1; l < order.length; l++) place(l, fromAbove);
    for (let l = order.length - 2; l >= 0; l--) place(l, fromBelow);
    // Settled: further sweeps would only cost time.
    if (x.every((v, i) => Math.abs(v - (before[i] ?? 0)) < 0.1)) break;
  }
  return x;
}
