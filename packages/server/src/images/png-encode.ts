/**
 * Stored images as the bytes a browser can show: encoded files as they came, raw pixels encoded to
 * PNG (by pngjs) on demand.
 * @module
 */
import { PNG, type ColorType } from 'pngjs';
import type { StoredImage } from '../store/window-store';

const COLOR_TYPE: Record<number, ColorType> = { 1: 0, 3: 2, 4: 6 };

/** Encode planar (CHW) 8-bit pixels as PNG. `channels` is 1 (grey), 3 (RGB) or 4 (RGBA). */
export function encodePng(planar: Uint8Array, width: number, height: number, channels: number): Buffer {
  const colorType = COLOR_TYPE[channels];
  if (colorType === undefined) throw new Error(`encodePng: ${channels} channels`);
  const plane = width * height;
  const data = Buffer.alloc(plane * channels);
  for (let c = 0; c < channels; c++) {
    for (let i = 0, o = c; i < plane; i++, o += channels) data[o] = planar[c * plane + i] ?? 0;
  }
  // sync.write reads only width, height and data; a PNG object would allocate RGBA for nothing.
  return PNG.sync.write({ width, height, data } as PNG, { colorType, inputColorType: colorType, inputHasAlpha: channels === 4, deflateLevel: 1, filterType: 0 });
}

/**
 * @example
 * const { mime, bytes } = encodeStoredImage(service.image(env, win, 0));
 */
export function encodeStoredImage(image: StoredImage): { mime: string; bytes: Buffer } {
  if (image.encoding === 'jpeg') return { mime: 'image/jpeg', bytes: Buffer.from(image.data) };
  if (image.encoding === 'png') return { mime: 'image/png', bytes: Buffer.from(image.data) };
  return { mime: 'image/png', bytes: encodePng(image.data, image.width, image.height, image.channels) };
}
