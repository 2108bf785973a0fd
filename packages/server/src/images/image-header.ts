/**
 * Reading the size of a PNG or JPEG from its header, so a stored image is
 * known to be what it claims before it is acknowledged.
 * @module
 */
import { detectImageFormat } from '@cnnvis/protocol';

export interface ImageSize {
  width: number;
  height: number;
}

/** Width and height from a PNG's IHDR chunk, or undefined when `data` is not a PNG. */
export function pngSize(data: Uint8Array): ImageSize | undefined {
  if (data.length < 24 || detectImageFormat(data) !== 'png') return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** SOF markers carry the frame size; DHT (C4), JPG (C8) and DAC (CC) share the range but do not. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Width and height from a JPEG's start-of-frame segment, or undefined when `data` is not a JPEG. */
export function jpegSize(data: Uint8Array): ImageSize | undefined {
  if (data.length < 4 || detectImageFormat(data) !== 'jpeg') return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 2;
  while (at + 9 < data.length) {
    if (data[at] !== 0xff) return undefined;
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    const length = view.getUint16(at + 2);
    if (isStartOfFrame(marker)) {
      const height = view.getUint16(at + 5);
      const width = view.getUint16(at + 7);
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}
