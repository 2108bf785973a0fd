/**
 * PNG for tests, through pngjs: read the size and 8-bit pixels of what the
 * server serves, and write a small PNG to upload.
 */
import { PNG } from 'pngjs';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Samples per pixel by PNG colour type (palettes come out as RGB). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 3, 4: 2, 6: 4 };

export interface DecodedPng {
  width: number;
  height: number;
  /** As the file stores them: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** Interleaved (HWC) pixels. */
  pixels: Uint8Array;
}

export function decodePng(bytes: Uint8Array): DecodedPng {
  const png = PNG.sync.read(Buffer.from(bytes));
  const channels = CHANNELS[png.colorType] ?? 4;
  const n = png.width * png.height;
  // pngjs hands every image over as RGBA: keep the channels the file has.
  const pick = channels === 2 ? [0, 3] : [0, 1, 2, 3].slice(0, channels);
  const pixels = new Uint8Array(n * channels);
  for (let i = 0; i < n; i++) pick.forEach((c, k) => (pixels[i * channels + k] = png.data[i * 4 + c] as number));
  return { width: png.width, height: png.height, channels, pixels };
}

/**
 * Planar (CHW) bytes as a decoded PNG's interleaved (HWC) pixels: what the
 * server's PNG of stored raw pixels must decode to.
 * @example
 * expect(Buffer.from(decodePng(png).pixels).equals(interleave(planar, 3))).toBe(true);
 */
export function interleave(planar: Uint8Array, channels: number): Buffer {
  const plane = planar.length / channels;
  const out = Buffer.alloc(planar.length);
  for (let c = 0; c < channels; c++) for (let p = 0; p < plane; p++) out[p * channels + c] = planar[c * plane + p] as number;
  return out;
}

/** Encode interleaved 8-bit grey (1 channel) or RGB (3 channels) pixels. */
export function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3): Buffer {
  const colorType = channels === 1 ? 0 : 2;
  // sync.write reads only width, height and data.
  return PNG.sync.write({ width, height, data: Buffer.from(pixels) } as PNG, { colorType, inputColorType: colorType, inputHasAlpha: false });
}
