/** PNG files for tests of any package, written by pngjs from interleaved samples. */
import { PNG, type ColorType } from 'pngjs';

export interface PngSpec {
  width: number;
  height: number;
  colorType: ColorType;
  /** Interleaved samples: bytes, or 16-bit values for `bitDepth` 16. */
  data: Uint8Array | Uint16Array;
  bitDepth?: 8 | 16;
}

export function encodePng({ width, height, colorType, data, bitDepth = 8 }: PngSpec): Buffer {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // sync.write reads only width, height and data.
  return PNG.sync.write({ width, height, data: bytes } as PNG, { colorType, inputColorType: colorType, inputHasAlpha: colorType >= 4, bitDepth });
}
