/**
 * Feature maps: batch item 0 of an activation, each channel quantised to bytes over its own
 * range, so a browser can draw any channel and still recover values.
 * @module
 */
import type { FeatureMap } from '../analyze/analyze-types';

/**
 * `[C, H, W]` of batch item 0 for tensors of rank 3 and more (rank 3 `[N,C,L]`
 * becomes `[C,1,L]`, rank 5 `[N,C,D,H,W]` becomes `[C,D*H,W]`), `[N]` for
 * ranks 0 to 2 (a 2-D `[batch, features]` gives its first row).
 */
export function mapLayout(shape: readonly number[]): { channels: number; height: number; width: number; flat: boolean } {
  if (shape.length <= 2) {
    const len = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
    return { channels: 1, height: 1, width: len, flat: true };
  }
  const channels = shape[1] as number;
  const width = shape[shape.length - 1] as number;
  const height = shape.slice(2, -1).reduce((a, b) => a * b, 1);
  return { channels, height, width, flat: false };
}

/**
 * Quantises batch item 0 of a tensor, keeping at most `maxChannels` channels; `ranges`, the
 * channels' finite ranges where the caller has them, save a pass.
 */
export function quantizeFeatureMap(
  tensor: string,
  data: Float32Array,
  shape: readonly number[],
  maxChannels: number,
  ranges?: readonly (readonly [number, number])[],
): FeatureMap {
  const { channels, height, width, flat } = mapLayout(shape);
  if (flat && width <= EXACT_FLAT_VALUES && width > 1) {
    const exact = exactFlatMap(tensor, data.subarray(0, width));
    if (exact) return exact;
  }
  const keep = Math.min(channels, Math.max(1, maxChannels));
  const plane = height * width;
  const out = new Uint8Array(keep * plane);
  const channelMin = new Float32Array(keep);
  const channelMax = new Float32Array(keep);
  for (let c = 0; c < keep; c++) {
    const src = data.subarray(c * plane, (c + 1) * plane);
    const [lo, hi] = ranges?.[c] ?? finiteRange(src);
    channelMin[c] = lo;
    channelMax[c] = hi;
    quantizeInto(src, lo, hi, out.subarray(c * plane, (c + 1) * plane));
  }
  return { tensor, shape: flat ? [width] : [keep, height, width], channelMin, channelMax, data: out };
}

/** Flat maps up to this long keep every value exactly (a classifier's logits, for its top-k). */
export const EXACT_FLAT_VALUES = 4096;

/** A flat map whose every value is its own range, so it reads back exactly; null for ±Inf/NaN. */
function exactFlatMap(tensor: string, values: Float32Array): FeatureMap | null {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return null;
  return { tensor, shape: [values.length], channelMin: values.slice(), channelMax: values.slice(), data: new Uint8Array(values.length) };
}

/** The finite min and max of some values; [0, 0] when none is finite. */
export function finiteRange(values: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (x < lo && x !== -Infinity) lo = x;
    if (x > hi && x !== Infinity) hi = x;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

/** Writes `(x - lo) / (hi - lo) * 255` of each value, rounded: NaN gives 0, ±Inf 0 and 255. */
export function quantizeInto(src: Float32Array, lo: number, hi: number, dst: Uint8Array): void {
  const scale = hi > lo ? 255 / (hi - lo) : 0;
  for (let i = 0; i < src.length; i++) {
    const v = ((src[i] as number) - lo) * scale + 0.5;
    // NaN fails both tests; +Inf passes the first.
    dst[i] = v >= 255 ? 255 : v > 0 ? v | 0 : 0;
  }
}
