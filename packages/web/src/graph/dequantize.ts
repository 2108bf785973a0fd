/**
 * Maps arrive quantised per channel: q = round((x − min_c) / (max_c − min_c) · 255). Bytes back
 * to values, and a byte → display table per normalisation mode (one lookup per pixel).
 * @module
 */

/**
 * The value a byte stands for: x = min_c + q/255 · (max_c − min_c).
 * @example dequantize(255, -1, 3) // 3
 * @example dequantize(0, 2, 2) // 2 (a constant channel)
 */
export function dequantize(q: number, min: number, max: number): number {
  return min + (q / 255) * (max - min);
}

/**
 * A one-range map's values (a classifier's output): the exact ones where the server sent them, else its bytes dequantised.
 * @example topK(flatValues(map), 5)
 */
export function flatValues(map: { bytes: Uint8Array; meta: { channelMin: ArrayLike<number>; channelMax: ArrayLike<number> }; values?: Float32Array }): ArrayLike<number> {
  const [min, max] = [map.meta.channelMin[0] ?? 0, map.meta.channelMax[0] ?? 0];
  return map.values ?? Float64Array.from(map.bytes, (q) => dequantize(q, min, max));
}

export type Normalisation = 'channel' | 'layer';

/** The smallest min and largest max over channels: the layer's range. */
export function layerRange(channelMin: ArrayLike<number>, channelMax: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < channelMin.length; i++) {
    const lo = channelMin[i] ?? NaN;
    const hi = channelMax[i] ?? NaN;
    if (Number.isFinite(lo)) min = Math.min(min, lo);
    if (Number.isFinite(hi)) max = Math.max(max, hi);
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/**
 * For one channel, the display level (0–255) of each stored byte.
 * - `channel`: each channel fills the colormap on its own (the bytes as they are).
 * - `layer`: all channels share the layer's range, so a weak channel looks weak.
 * A constant channel (min = max) shows the bottom of the map in `channel`
 * mode, and its true level in `layer` mode.
 * @example
 * const lut = displayLut('layer', 0, 1, { min: 0, max: 2 }); // lut[255] === 128
 */
export function displayLut(mode: Normalisation, min: number, max: number, layer: { min: number; max: number }): Uint8Array {
  const lut = new Uint8Array(256);
  if (mode === 'channel') {
    for (let q = 0; q < 256; q++) lut[q] = max > min ? q : 0;
    return lut;
  }
  const span = layer.max - layer.min;
  for (let q = 0; q < 256; q++) {
    const x = dequantize(q, min, max);
    lut[q] = span > 0 ? Math.round(Math.min(1, Math.max(0, (x - layer.min) / span)) * 255) : 0;
  }
  return lut;
}

/**
 * Paint one H×W channel into RGBA pixels through a display table and a colormap.
 * @example paintChannel(bytes.subarray(c * hw, (c + 1) * hw), lut, colormapLut('viridis'), image.data);
 */
export function paintChannel(bytes: Uint8Array, lut: Uint8Array, colors: Uint8Array, out: Uint8ClampedArray): void {
  for (let i = 0; i < bytes.length; i++) {
    const c = (lut[bytes[i] ?? 0] ?? 0) * 3;
    const o = i * 4;
    out[o] = colors[c] ?? 0;
    out[o + 1] = colors[c + 1] ?? 0;
    out[o + 2] = colors[c + 2] ?? 0;
    out[o + 3] = 255;
  }
}
