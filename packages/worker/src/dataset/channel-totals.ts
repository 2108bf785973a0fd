/**
 * Streaming per-channel totals of one tensor over a dataset: each batch's
 * output is folded in and dropped, so memory holds one batch and the totals
 * (a few numbers per channel, and the top-k inputs of each).
 * @module
 */
import { align16, PLANE_RESULT_BYTES, type SimdKernels } from '../stats/simd-kernels';
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

/** One plane's raw moments, as the SIMD kernel gives them (relative to `x0`), with what only the JS loop counts. */
interface PlaneMoments {
  x0: number;
  sum: number;
  sumSq: number;
  min: number;
  max: number;
  finite: number;
  zeros: number;
  sat: number;
  nan: number;
  inf: number;
}

/** A plane's moments in JS: the reference, and the path for NaN/Inf, clamped layers and runtimes without the kernel. */
function planeJs(data: Float32Array, base: number, plane: number, bounds: [number, number] | undefined, m: PlaneMoments): void {
  const [lo, hi] = bounds ?? [-Infinity, Infinity];
  const clamp = bounds !== undefined;
  let [min, max, sum, sumSq, finite, zeros, sat, nan, inf] = [Infinity, -Infinity, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < plane; i++) {
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
  Object.assign(m, { x0: 0, sum, sumSq, min, max, finite, zeros, sat, nan, inf });
}

/** Adds one plane (input `index`, channel `c`) to the totals. */
function addPlane(t: ChannelTotals, c: number, index: number, m: PlaneMoments): void {
  // Back from moments about x0: Σx = Σ(x−x0) + n·x0, Σx² = Σ(x−x0)² + 2·x0·Σ(x−x0) + n·x0².
  const sum = m.sum + m.finite * m.x0;
  const sumSq = m.sumSq + 2 * m.x0 * m.sum + m.finite * m.x0 * m.x0;
  if (m.min < (t.min[c] as number)) t.min[c] = m.min;
  if (m.max > (t.max[c] as number)) t.max[c] = m.max;
  t.sum[c] = (t.sum[c] as number) + sum;
  t.sumSq[c] = (t.sumSq[c] as number) + sumSq;
  t.finite[c] = (t.finite[c] as number) + m.finite;
  t.zeros[c] = (t.zeros[c] as number) + m.zeros;
  t.saturated[c] = (t.saturated[c] as number) + m.sat;
  t.nan[c] = (t.nan[c] as number) + m.nan;
  t.inf[c] = (t.inf[c] as number) + m.inf;
  if (m.zeros === t.plane) t.dead[c] = (t.dead[c] as number) + 1;
  if (m.finite > 0) offerTop(t, c, index, sum / m.finite);
}

/**
 * Folds in a batch: `data` holds `n` inputs' outputs back to back, the first
 * being input `first`. With `kernels` (and no clamp bounds to count against)
 * the planes' moments come from the SIMD kernel the single-input analysis
 * uses; a plane holding NaN or ±Inf is counted again by the JS loop.
 * @example
 * accumulate(t, out.data as Float32Array, 16, 32, simdKernels());
 */
export function accumulate(t: ChannelTotals, data: Float32Array, n: number, first: number, kernels: SimdKernels | null = null): void {
  const planes = n * t.channels;
  const floats = planes * t.plane;
  const resultsAt = align16(floats * 4);
  const memory = kernels !== null && t.bounds === undefined && t.plane > 0 ? kernels.reserve(resultsAt + planes * PLANE_RESULT_BYTES) : null;
  let results: Float64Array | null = null;
  if (kernels !== null && memory !== null) {
    new Float32Array(memory, 0, floats).set(data.subarray(0, floats));
    kernels.moments(0, t.plane, planes, resultsAt);
    results = new Float64Array(memory, resultsAt, planes * 5);
  }
  const m: PlaneMoments = { x0: 0, sum: 0, sumSq: 0, min: 0, max: 0, finite: 0, zeros: 0, sat: 0, nan: 0, inf: 0 };
  for (let j = 0; j < n; j++) {
    for (let c = 0; c < t.channels; c++) {
      const p = j * t.channels + c;
      const sum = results?.[p * 5] ?? NaN;
      if (results !== null && Number.isFinite(sum) && Number.isFinite(results[p * 5 + 1])) {
        Object.assign(m, { x0: data[p * t.plane] as number, sum, sumSq: results[p * 5 + 1], min: results[p * 5 + 2], max: results[p * 5 + 3], finite: t.plane, zeros: results[p * 5 + 4], sat: 0, nan: 0, inf: 0 });
      } else planeJs(data, p * t.plane, t.plane, t.bounds, m);
      addPlane(t, c, first + j, m);
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
