/**
 * Streaming per-channel totals of one tensor over a dataset: each batch's
 * output is folded in and dropped, so memory holds one batch and the totals
 * (a few numbers per channel, and the top-k inputs of each).
 * @module
 */
import type { DatasetLayer } from './dataset-types';

export interface ChannelTotals {
  node: string;
  op: string;
  tensor: string;
  shape: number[];
  channels: number;
  plane: number;
  k: number;
  bounds: [number, number] | undefined;
  inputs: number;
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
  finite: Float64Array;
  zeros: Float64Array;
  dead: Float64Array;
  saturated: Float64Array;
  nan: Float64Array;
  inf: Float64Array;
  topIndex: Int32Array;
  topMean: Float64Array;
}

/**
 * @example
 * const t = createTotals({ node: '/relu/Relu', op: 'Relu', tensor: 'r' }, [8, 16, 16], 5, undefined);
 */
export function createTotals(layer: { node: string; op: string; tensor: string }, shape: readonly number[], k: number, bounds: [number, number] | undefined): ChannelTotals {
  const channels = shape.length === 0 ? 1 : (shape[0] as number);
  const plane = shape.slice(1).reduce((a, b) => a * b, 1);
  const zeros = () => new Float64Array(channels);
  return {
    ...layer, shape: [...shape], channels, plane, k, bounds, inputs: 0,
    min: new Float64Array(channels).fill(Infinity), max: new Float64Array(channels).fill(-Infinity),
    sum: zeros(), sumSq: zeros(), finite: zeros(), zeros: zeros(), dead: zeros(), saturated: zeros(), nan: zeros(), inf: zeros(),
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

/**
 * Folds in a batch: `data` holds `n` inputs' outputs back to back, the first being input `first`.
 * @example
 * accumulate(t, out.data as Float32Array, 16, 32);
 */
export function accumulate(t: ChannelTotals, data: Float32Array, n: number, first: number): void {
  const [lo, hi] = t.bounds ?? [-Infinity, Infinity];
  const clamp = t.bounds !== undefined;
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < t.channels; c++) {
      const base = (j * t.channels + c) * t.plane;
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      let sumSq = 0;
      let finite = 0;
      let zeros = 0;
      let sat = 0;
      let nan = 0;
      let inf = 0;
      for (let i = 0; i < t.plane; i++) {
        const v = data[base + i] as number;
        if (v !== v) nan++;
        else if (v === Infinity || v === -Infinity) inf++;
        else {
          if (v < min) min = v;
          if (v > max) max = v;
          sum += v;
          sumSq += v * v;
          finite++;
          if (v === 0) zeros++;
          if (clamp && (v <= lo || v >= hi)) sat++;
        }
      }
      if (min < (t.min[c] as number)) t.min[c] = min;
      if (max > (t.max[c] as number)) t.max[c] = max;
      t.sum[c] = (t.sum[c] as number) + sum;
      t.sumSq[c] = (t.sumSq[c] as number) + sumSq;
      t.finite[c] = (t.finite[c] as number) + finite;
      t.zeros[c] = (t.zeros[c] as number) + zeros;
      t.saturated[c] = (t.saturated[c] as number) + sat;
      t.nan[c] = (t.nan[c] as number) + nan;
      t.inf[c] = (t.inf[c] as number) + inf;
      if (zeros === t.plane) t.dead[c] = (t.dead[c] as number) + 1;
      if (finite > 0) offerTop(t, c, first + j, sum / finite);
    }
  }
  t.inputs += n;
}

/** The totals as the layer's statistics. */
export function finishTotals(t: ChannelTotals): DatasetLayer {
  const values = t.inputs * t.plane;
  const each = (f: (c: number) => number) => Float64Array.from({ length: t.channels }, (_, c) => f(c));
  const mean = each((c) => ((t.finite[c] as number) > 0 ? (t.sum[c] as number) / (t.finite[c] as number) : NaN));
  return {
    node: t.node, op: t.op, tensor: t.tensor, shape: t.shape,
    min: each((c) => ((t.finite[c] as number) > 0 ? (t.min[c] as number) : NaN)),
    max: each((c) => ((t.finite[c] as number) > 0 ? (t.max[c] as number) : NaN)),
    mean,
    std: each((c) => ((t.finite[c] as number) > 0 ? Math.sqrt(Math.max(0, (t.sumSq[c] as number) / (t.finite[c] as number) - (mean[c] as number) ** 2)) : NaN)),
    zeros: each((c) => (t.zeros[c] as number) / values),
    dead: each((c) => (t.dead[c] as number) / t.inputs),
    ...(t.bounds === undefined ? {} : { bounds: t.bounds, saturated: each((c) => (t.saturated[c] as number) / values) }),
    nan: t.nan, inf: t.inf, top: t.topIndex,
  };
}
