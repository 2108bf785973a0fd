/**
 * Conv layers' weights for display: every filter quantised over the range of
 * the whole weight tensor (so filters compare with each other), and a
 * histogram of all the weights.
 * @module
 */
import type { FilterSet } from '../analyze/analyze-types';
import { finiteRange, quantizeInto } from './feature-map';

/** Histogram bins for weights. */
const WEIGHT_BINS = 64;

/**
 * A histogram with `bins` equal-width bins over [min, max]; the last bin
 * includes max. Non-finite values are left out.
 * @example
 * histogram(Float32Array.of(0, 0.5, 1), 2); // { edges: [0, 0.5, 1], counts: [1, 2] }
 */
export function histogram(values: Float32Array, bins: number, range = finiteRange(values)): FilterSet['histogram'] {
  const [lo, hi] = range;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    const i = width > 0 ? Math.min(bins - 1, Math.floor((x - lo) / width)) : 0;
    counts[i] = (counts[i] as number) + 1;
  }
  return { edges, counts };
}

/**
 * The filters of one conv node from its weight tensor `[O, I, kh, kw]`.
 * @example
 * const set = convFilters('/conv1/Conv', weights, [32, 1, 3, 3]);
 */
export function convFilters(node: string, weights: Float32Array, shape: number[]): FilterSet {
  const [min, max] = finiteRange(weights);
  const data = new Uint8Array(weights.length);
  quantizeInto(weights, min, max, data);
  return { node, shape, min, max, data, histogram: histogram(weights, WEIGHT_BINS, [min, max]) };
}
