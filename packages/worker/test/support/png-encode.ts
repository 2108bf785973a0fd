/**
 * A PNG encoder for decoder tests: any colour type and bit depth the decoder
 * claims, and a chosen row filter, so every filter path is exercised.
 */
import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Applies PNG filter `f` to a row, given the previous (unfiltered) row. */
function filterRow(f: number, row: Uint8Array, prev: Uint8Array, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length);
  for (let x = 0; x < row.length; x++) {
    const a = x >= bpp ? (row[x - bpp] as number) : 0;
    const b = prev[x] as number;
    const c = x >= bpp ? (prev[x - bpp] as number) : 0;
    const pred = [0, a, b, (a + b) >> 1, paeth(a, b, c)][f] as number;
    out[x] = ((row[x] as number) - pred) & 0xff;
  }
  return out;
}

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth?: 8 | 16;
  /** Samples as stored (two bytes each, big-endian, for 16-bit). */
  data: Uint8Array;
  palette?: Uint8Array;
  /** Row filter, or one per row; rows cycle through all five by default. */
  filter?: number;
  interlace?: boolean;
}

const SAMPLES = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;

export function encodePng(spec: PngSpec): Uint8Array {
  const depth = spec.bitDepth ?? 8;
  const bpp = (SAMPLES[spec.colorType] * depth) / 8;
  const stride = spec.width * bpp;
  const raw: number[] = [];
  for (let y = 0; y < spec.height; y++) {
    const f = spec.filter ?? y % 5;
    const row = spec.data.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? spec.data.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    raw.push(f, ...filterRow(f, row, prev, bpp));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(spec.width, 0);
  ihdr.writeUInt32BE(spec.height, 4);
  ihdr[8] = depth;
  ihdr[9] = spec.colorType;
  ihdr[12] = spec.interlace ? 1 : 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(spec.palette ? [chunk('PLTE', spec.palette)] : []),
    chunk('IDAT', deflateSync(Uint8Array.from(raw))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
