/**
 * Score-CAM's arithmetic, with no runtime: a channel's map upsampled to the
 * input's size and stretched to [0, 1] (the mask), the channels' weights as
 * the softmax of the target scores of the inputs they masked (as
 * pytorch-grad-cam weighs them: positive, summing to 1), and the heatmap as
 * the ReLU of the channels' maps so weighted.
 * @module
 */

/**
 * @example
 * softmax(Float32Array.of(0, 0)); // Float32Array [0.5, 0.5]
 */
export function softmax(scores: Float32Array): Float32Array {
  const top = scores.reduce((a, b) => Math.max(a, b), -Infinity);
  const e = Float64Array.from(scores, (s) => Math.exp(s - top));
  const sum = e.reduce((a, b) => a + b, 0);
  return Float32Array.from(e, (v) => v / sum);
}

/**
 * Bilinear resize of an `h0`×`w0` map to `h`×`w` with half-pixel centres
 * (PyTorch's `interpolate(mode='bilinear', align_corners=False)`).
 * @example
 * upsample(new Float32Array([0, 1, 2, 3]), 2, 2, 4, 4); // Float32Array(16)
 */
export function upsample(a: Float32Array, h0: number, w0: number, h: number, w: number): Float32Array {
  const axis = (n: number, n0: number) => {
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    const f = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const src = Math.max(((i + 0.5) * n0) / n - 0.5, 0);
      const i0 = Math.min(Math.floor(src), n0 - 1);
      lo[i] = i0;
      hi[i] = Math.min(i0 + 1, n0 - 1);
      f[i] = src - i0;
    }
    return { lo, hi, f };
  };
  const ys = axis(h, h0);
  const xs = axis(w, w0);
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    const r0 = (ys.lo[y] as number) * w0;
    const r1 = (ys.hi[y] as number) * w0;
    const fy = ys.f[y] as number;
    for (let x = 0; x < w; x++) {
      const c0 = xs.lo[x] as number;
      const c1 = xs.hi[x] as number;
      const fx = xs.f[x] as number;
      const top = (a[r0 + c0] as number) * (1 - fx) + (a[r0 + c1] as number) * fx;
      const bottom = (a[r1 + c0] as number) * (1 - fx) + (a[r1 + c1] as number) * fx;
      out[y * w + x] = top * (1 - fy) + bottom * fy;
    }
  }
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

/**
 * The mask of channel `k` of a `[C, h0, w0]` activation over an `h`×`w` input.
 * @example
 * channelMask(acts, [64, 7, 7], 3, 224, 224); // Float32Array(224 * 224), values in [0, 1]
 */
export function channelMask(acts: Float32Array, [, h0, w0]: readonly number[], k: number, h: number, w: number): Float32Array {
  const plane = (h0 as number) * (w0 as number);
  return normalise(upsample(acts.subarray(k * plane, (k + 1) * plane), h0 as number, w0 as number, h, w));
}

/** Multiplies each channel of the `[C, H, W]` item `src` by the `[H, W]` mask into `dst`. */
export function applyMask(dst: Float32Array, src: Float32Array, mask: Float32Array): void {
  const plane = mask.length;
  for (let i = 0; i < src.length; i++) dst[i] = (src[i] as number) * (mask[i % plane] as number);
}

/**
 * The heatmap: ReLU of the channels' maps weighted by `weights`, upsampled to `h`×`w`.
 * @example
 * camMap(acts, [64, 7, 7], weights, 224, 224);
 */
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
