/**
 * A channel of two runs side by side and A − B: A and B over one shared range, A − B symmetric
 * about 0 so a diverging colormap puts "no change" at its middle.
 * @module
 */
import { dequantize } from './dequantize';

/** One channel of a stored map: its bytes and its range. */
export interface MapChannel {
  bytes: Uint8Array;
  min: number;
  max: number;
}

export interface ChannelDiff {
  a: Float32Array;
  b: Float32Array;
  diff: Float32Array;
  /** The range A and B are drawn over. */
  lo: number;
  hi: number;
  /** max |A − B|: the diff is drawn over [−limit, limit]. */
  limit: number;
}

const values = ({ bytes, min, max }: MapChannel) => Float32Array.from(bytes, (q) => dequantize(q, min, max));

/**
 * @example
 * const d = channelDiff({ bytes: Uint8Array.of(0, 255), min: 0, max: 1 }, { bytes: Uint8Array.of(0, 0), min: 0, max: 1 });
 * d.diff; // Float32Array [0, 1]; d.limit === 1
 */
export function channelDiff(a: MapChannel, b: MapChannel): ChannelDiff {
  const va = values(a);
  const vb = values(b);
  const diff = va.map((x, i) => x - (vb[i] ?? 0));
  const limit = diff.reduce((m, d) => Math.max(m, Math.abs(d)), 0);
  return { a: va, b: vb, diff, lo: Math.min(a.min, b.min), hi: Math.max(a.max, b.max), limit };
}

/**
 * RGBA pixels of `v` through a 256-entry RGB lookup table over [lo, hi].
 * @example toRgba(d.diff, lut, -d.limit, d.limit)
 */
export function toRgba(v: Float32Array, lut: Uint8Array, lo: number, hi: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(v.length * 4);
  const span = hi > lo ? 255 / (hi - lo) : 0;
  v.forEach((x, i) => {
    const k = 3 * (span === 0 ? 127 : Math.min(255, Math.max(0, Math.round((x - lo) * span))));
    out.set([lut[k] ?? 0, lut[k + 1] ?? 0, lut[k + 2] ?? 0, 255], i * 4);
  });
  return out;
}
