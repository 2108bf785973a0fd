/**
 * Streaming per-channel totals of one tensor over a dataset, folded from each batch's per-plane
 * statistics, so memory never holds the activations.
 * @module
 */
import type { PlaneStatsOutputs } from '../onnx/plane-stats-graph';
import type { DatasetLayer } from './dataset-types';

export interface ChannelTotals {
  node: string;
  op: string;
  tensor: string;
  /** One input's output shape, and its channels (axis 1) and values per channel. */
  shape: number[];
  channels: number;
  plane: number;
  k: number;
  bounds: [number, number] | undefined;
  inputs: number;
  min: Float64Array;
  max: Float64Array;
  /** Finite values, their mean and sum of squared deviations (merged as Chan et al.). */
  finite: Float64Array;
  mean: Float64Array;
  m2: Float64Array;
  zeros: Float64Array;
  dead: Float64Array;
  saturated: Float64Array;
  nan: Float64Array;
  inf: Float64Array;
  topIndex: Int32Array;
  topMean: Float64Array;
}

/** A batch's statistics, one number a plane (input-major: plane j·C + c), as plane-stats-graph.ts names them. */
export interface PlaneStats {
  min: Float32Array;
  max: Float32Array;
  mean: Float32Array;
  m2: Float32Array;
  nonzero: Float32Array;
  nan: Float32Array;
  nonfinite: Float32Array;
  outside?: Float32Array;
}

/** The fetched statistics of `o`'s tensor, each output read by `read`. */
export function readPlaneStats(o: PlaneStatsOutputs, read: (name: string) => Float32Array): PlaneStats {
  return {
    min: read(o.min), max: read(o.max), mean: read(o.mean), m2: read(o.m2),
    nonzero: read(o.nonzero), nan: read(o.nan), nonfinite: read(o.nonfinite),
    ...(o.outside ? { outside: read(o.outside) } : {}),
  };
}

/** Empty totals of a tensor whose per-input `shape` has its channels first, keeping a top `k`. */
export function createTotals(layer: { node: string; op: string; tensor: string }, shape: readonly number[], k: number, bounds: [number, number] | undefined): ChannelTotals {
  const channels = shape[0] ?? 1;
  const plane = shape.slice(1).reduce((a, b) => a * b, 1);
  const zeros = () => new Float64Array(channels);
  return {
    ...layer, shape: [...shape], channels, plane, k, bounds, inputs: 0,
    min: zeros().fill(Infinity), max: zeros().fill(-Infinity),
    finite: zeros(), mean: zeros(), m2: zeros(), zeros: zeros(), dead: zeros(), saturated: zeros(), nan: zeros(), inf: zeros(),
    topIndex: new Int32Array(channels * k).fill(-1), topMean: new Float64Array(channels * k).fill(-Infinity),
  };
}

/** Puts (index, mean) into channel c's top-k, kept highest first. */
function offerTop(t: ChannelTotals, c: number, index: number, mean: number): void {
  const at = c * t.k;
  if (!(mean > (t.topMean[at + t.k - 1] as number))) return;
  let i = t.k - 1;
  while (i > 0 && mean > (t.topMean[at + i - 1] as number)) {
    t.topMean[at + i] = t.topMean[at + i - 1] as number;
    t.topIndex[at + i] = t.topIndex[at + i - 1] as number;
    i--;
  }
  t.topMean[at + i] = mean;
  t.topIndex[at + i] = index;
}

/** Folds in a batch of `n` inputs, the first being input `first`. */
export function accumulate(t: ChannelTotals, s: PlaneStats, n: number, first: number): void {
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < t.channels; c++) {
      const p = j * t.channels + c;
      const nonfinite = s.nonfinite[p] as number;
      const finite = t.plane - nonfinite;
      const zeros = finite - (s.nonzero[p] as number);
      t.zeros[c] = (t.zeros[c] as number) + zeros;
      t.nan[c] = (t.nan[c] as number) + (s.nan[p] as number);
      t.inf[c] = (t.inf[c] as number) + nonfinite - (s.nan[p] as number);
      if (s.outside) t.saturated[c] = (t.saturated[c] as number) + (s.outside[p] as number) - nonfinite;
      if (zeros === t.plane) t.dead[c] = (t.dead[c] as number) + 1;
      if (finite === 0) continue;
      const mean = s.mean[p] as number;
      if ((s.min[p] as number) < (t.min[c] as number)) t.min[c] = s.min[p] as number;
      if ((s.max[p] as number) > (t.max[c] as number)) t.max[c] = s.max[p] as number;
      const before = t.finite[c] as number;
      const all = before + finite;
      const delta = mean - (t.mean[c] as number);
      t.m2[c] = (t.m2[c] as number) + (s.m2[p] as number) + (delta * delta * before * finite) / all;
      t.mean[c] = (t.mean[c] as number) + (delta * finite) / all;
      t.finite[c] = all;
      offerTop(t, c, first + j, mean);
    }
  }
  t.inputs += n;
}

/** The totals as the layer's statistics. */
export function finishTotals(t: ChannelTotals): DatasetLayer {
  const values = t.inputs * t.plane;
  const each = (f: (c: number) => number) => Float64Array.from({ length: t.channels }, (_, c) => ((t.finite[c] as number) > 0 ? f(c) : NaN));
  return {
    node: t.node, op: t.op, tensor: t.tensor, shape: t.shape,
    min: each((c) => t.min[c] as number),
    max: each((c) => t.max[c] as number),
    mean: each((c) => t.mean[c] as number),
    std: each((c) => Math.sqrt((t.m2[c] as number) / (t.finite[c] as number))),
    zeros: t.zeros.map((z) => z / values),
    dead: t.dead.map((d) => d / t.inputs),
    ...(t.bounds === undefined ? {} : { bounds: t.bounds, saturated: t.saturated.map((s) => s / values) }),
    nan: t.nan, inf: t.inf, top: t.topIndex,
  };
}
