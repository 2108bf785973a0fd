/**
 * A small PNG encoder for raw 8-bit CHW/HW pixels. Images are stored raw
 * (a write is a blob insert, nothing more) and encoded only when a browser
 * asks for one, with fast deflate: these are throwaway debug images.
 * @module
 */
import { crc32, deflateSync } from 'node:zlib';
import { PNG_SIGNATURE } from '@cnnvis/protocol';

const SIGNATURE = Buffer.from(PNG_SIGNATURE);
const COLOR_TYPE: Record<number, number> = { 1: 0, 3: 2, 4: 6 };

function chunk(type: string, body: Buffer): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  body.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

/**
 * Encode planar (CHW) 8-bit pixels as PNG. `channels` is 1 (grey), 3 (RGB) or 4 (RGBA).
 * @example
 * const png = encodePng(new Uint8Array(3 * 28 * 28), 28, 28, 3);
 */
export function encodePng(planar: Uint8Array, width: number, height: number, channels: number): Buffer {
  const colorType = COLOR_TYPE[channels];
  if (colorType === undefined) throw new Error(`encodePng: ${channels} channels`);
  const plane = width * height;
  const stride = width * channels + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    let o = y * stride + 1; // the leading 0 is filter type None
    const row = y * width;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) raw[o++] = planar[c * plane + row + x] ?? 0;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
