/**
 * A small picture of a run's input: batch item 0 of a 4-D NCHW input of 1 or 3 channels,
 * stretched over its own range to 8 bits and box-averaged to fit a square.
 * @module
 */
import type { InputThumbnail } from './analyze-types';

/** The thumbnail's longest side, in pixels. */
export const THUMBNAIL_SIDE = 64;

export function inputThumbnail(input: { data: Float32Array; shape: readonly number[] }, side = THUMBNAIL_SIDE): InputThumbnail | undefined {
  const [, c = 0, h = 0, w = 0] = input.shape;
  if (input.shape.length !== 4 || (c !== 1 && c !== 3) || h < 1 || w < 1) return undefined;
  const plane = h * w;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < c * plane; i++) {
    const x = input.data[i] as number;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
  const scale = Math.max(1, Math.ceil(Math.max(h, w) / side));
  const th = Math.ceil(h / scale);
  const tw = Math.ceil(w / scale);
  const span = hi > lo ? 255 / (hi - lo) : 0;
  const data = new Uint8Array(c * th * tw);
  for (let ch = 0; ch < c; ch++) {
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        let sum = 0;
        let n = 0;
        for (let dy = y * scale; dy < Math.min(h, (y + 1) * scale); dy++) {
          for (let dx = x * scale; dx < Math.min(w, (x + 1) * scale); dx++, n++) sum += input.data[ch * plane + dy * w + dx] as number;
        }
        data[ch * th * tw + y * tw + x] = Math.round((sum / n - lo) * span);
      }
    }
  }
  return { width: tw, height: th, channels: c, data };
}
