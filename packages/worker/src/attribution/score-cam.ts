/**
 * Score-CAM's arithmetic, with no runtime: a channel's map upsampled and stretched to [0, 1]
 * (the mask), the weights as the softmax of the masked inputs' scores (as pytorch-grad-cam
 * weighs them), and the heatmap as the ReLU of the maps so weighted.
 * @module
 */
import { resizeBilinear } from '../image/preprocess-image';

/** @example softmax(Float32Array.of(0, 0)); // Float32Array [0.5, 0.5] */
export function softmax(scores: Float32Array): Float32Array {
  const top = scores.reduce((a, b) => Math.max(a, b), -Infinity);
  const e = Float64Array.from(scores, (s) => Math.exp(s - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e, (v) => v / sum);
}

/** Bilinear resize of an `h0`×`w0` map to `h`×`w` (PyTorch's `align_corners=False`). */
function upsample(a: Float32Array, h0: number, w0: number, h: number, w: number): Float32Array {
  const out = new Float32Array(h * w);
  resizeBilinear(a, w0, h0, out, w, h);
  return out;
}

/** Stretches `m` to [0, 1] in place; a constant map becomes all zeros. */
export function normalise(m: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of m) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo;
  for (let i = 0; i < m.length; i++) m[i] = span > 0 ? ((m[i] as number) - lo) / span : 0;
  return m;
}

/** The mask of channel `k` of a `[C, h0, w0]` activation over an `h`×`w` input. */
export function channelMask(acts: Float32Array, [, h0, w0]: readonly number[], k: number, h: number, w: number): Float32Array {
  const plane = (h0 as number) * (w0 as number);
  return normalise(upsample(acts.subarray(k * plane, (k + 1) * plane), h0 as number, w0 as number, h, w));
}

/** Multiplies each channel of the `[C, H, W]` item `src` by the `[H, W]` mask into `dst`. */
export function applyMask(dst: Float32Array, src: Float32Array, mask: Float32Array): void {
  const plane = mask.length;
  for (let i = 0; i < src.length; i++) dst[i] = (src[i] as number) * (mask[i % plane] as number);
}

/** The heatmap: ReLU of the channels' maps weighted by `weights`, upsampled to `h`×`w`. */
export function camMap(acts: Float32Array, [c, h0, w0]: readonly number[], weights: Float32Array, h: number, w: number): Float32Array {
  const plane = (h0 as number) * (w0 as number);
  const sum = new Float32Array(plane);
  for (let k = 0; k < (c as number); k++) {
    const wk = weights[k] as number;
    for (let i = 0; i < plane; i++) sum[i] = (sum[i] as number) + wk * (acts[k * plane + i] as number);
  }
  const up = upsample(sum, h0 as number, w0 as number, h, w);
  for (let i = 0; i < up.length; i++) if ((up[i] as number) < 0) up[i] = 0;
  return up;
}
