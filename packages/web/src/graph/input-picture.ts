/**
 * The model's input as a picture: the stored map back to values, then the run's preprocessing
 * undone; an unpreprocessed tensor shows as 0…1, or stretched over its own range.
 * @module
 */
import type { Preprocess, RunInput } from '@cnnvis/protocol';
import { dequantize } from './dequantize';

export interface Picture {
  width: number;
  height: number;
  /** RGBA, row by row. */
  data: Uint8ClampedArray<ArrayBuffer>;
}

/**
 * One channel's value back to a 0–255 pixel level (unclamped).
 * @example toPixel(2.2489, 1, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }) // 1 · 0.224·2.2489 + 0.456 = 0.96 → 244.8
 */
export function toPixel(x: number, channel: number, p: Preprocess): number {
  const mean = p.mean?.[channel] ?? p.mean?.[0] ?? 0;
  const std = p.std?.[channel] ?? p.std?.[0] ?? 1;
  return (x * std + mean) / (p.scale ?? 1 / 255);
}

/**
 * The picture of an input map `[C, H, W]` of 1 or 3 channels, or null for
 * other shapes (a 1-D input, a 4-channel tensor).
 * @example
 * const pic = inputPicture(map.bytes, map.meta, run.input);
 * ctx.putImageData(new ImageData(pic.data, pic.width, pic.height), 0, 0);
 */
export function inputPicture(
  bytes: Uint8Array,
  meta: { shape: readonly number[]; channelMin: ArrayLike<number>; channelMax: ArrayLike<number> },
  input: RunInput | undefined,
): Picture | null {
  const [c = 0, height = 0, width = 0] = meta.shape;
  if (meta.shape.length !== 3 || (c !== 1 && c !== 3) || bytes.length < c * height * width) return null;
  const plane = height * width;
  const value = (ch: number, i: number) => dequantize(bytes[ch * plane + i] ?? 0, meta.channelMin[ch] ?? 0, meta.channelMax[ch] ?? 0);
  let level: (x: number, ch: number) => number;
  if (input?.image === true || input?.preprocess !== undefined) {
    const p = input.preprocess ?? {};
    level = (x, ch) => toPixel(x, ch, p);
  } else {
    // A tensor fed as is: 0…1 when it lies there, else its own range stretched.
    let [lo, hi] = [Infinity, -Infinity];
    for (let ch = 0; ch < c; ch++) [lo, hi] = [Math.min(lo, meta.channelMin[ch] ?? 0), Math.max(hi, meta.channelMax[ch] ?? 0)];
    const unit = lo >= 0 && hi <= 1;
    level = unit ? (x) => x * 255 : (x) => (hi > lo ? ((x - lo) / (hi - lo)) * 255 : 0);
  }
  // The channel holding red: the last one when the input was made in BGR order.
  const bgr = input?.preprocess?.channelOrder === 'bgr';
  const source = c === 1 ? [0, 0, 0] : bgr ? [2, 1, 0] : [0, 1, 2];
  const data = new Uint8ClampedArray(plane * 4);
  for (let i = 0; i < plane; i++) {
    for (let k = 0; k < 3; k++) {
      const ch = source[k] as number;
      data[i * 4 + k] = Math.round(level(value(ch, i), ch));
    }
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}
