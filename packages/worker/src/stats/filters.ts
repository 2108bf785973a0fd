/**
 * Conv layers' weights for display: quantised over the whole tensor's range (so filters compare
 * with each other), with a histogram.
 * @module
 */
import type { FilterSet } from '../analyze/analyze-types';
import { finiteRange, quantizeInto } from './feature-map';

/** Histogram bins for weights. */
const WEIGHT_BINS = 64;

/** A histogram of the finite values in `bins` equal bins over [min, max] (the last takes max). */
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

/** The filters of one conv node from its weight tensor `[O, I, kh, kw]`. */
export function convFilters(node: string, weights: Float32Array, shape: number[]): FilterSet {
  const [min, max] = finiteRange(weights);
  const data = new Uint8Array(weights.length);
  quantizeInto(weights, min, max, data);
  return { node, shape, min, max, data, histogram: histogram(weights, WEIGHT_BINS, [min, max]) };
}
