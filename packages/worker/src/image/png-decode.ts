/**
 * A small PNG decoder for model inputs: non-interlaced grey, grey+alpha, RGB,
 * RGBA (8 or 16 bits, 16 keeping the high byte) and 8-bit palette images,
 * inflated with node:zlib. That covers what cameras, matplotlib and PIL write
 * for photos and test images; the rest gets a clear BAD_INPUT.
 * @module
 */
import { inflateSync } from 'node:zlib';
import { detectImageFormat } from '@cnnvis/protocol';
import { WorkerError } from '../worker-error';
import type { DecodedImage } from './decoded-image';

/** Samples per pixel by PNG colour type. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** True when the bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return detectImageFormat(bytes) === 'png';
}

const bad = (why: string) => new WorkerError('BAD_INPUT', `cannot decode the PNG input: ${why}`);

/**
 * Decodes a PNG file to 8-bit samples.
 * @example
 * const { width, height, channels, data } = decodePng(readFileSync('cat.png'));
 */
export function decodePng(bytes: Uint8Array): DecodedImage {
  if (!isPng(bytes)) throw bad('it does not start with the PNG signature');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0, height = 0, depth = 0, colorType = -1, interlace = 0;
  let palette: Uint8Array | null = null;
  const idat: Uint8Array[] = [];
  for (let at = 8; ; ) {
    if (at + 8 > bytes.length) throw bad('the file is truncated (no IEND chunk)');
    const len = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + len);
    if (body.length !== len) throw bad(`the file is truncated inside a ${type} chunk`);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      depth = body[8] ?? 0;
      colorType = body[9] ?? -1;
      interlace = body[12] ?? 0;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  const samples = SAMPLES[colorType];
  if (samples === undefined || width === 0 || height === 0) throw bad('missing or invalid IHDR chunk');
  if (interlace !== 0) throw bad('interlaced PNGs are not supported; save it without interlacing');
  if (!(depth === 8 || (depth === 16 && colorType !== 3))) throw bad(`bit depth ${depth} is not supported (8 or 16)`);
  if (colorType === 3 && !palette) throw bad('a palette image without a PLTE chunk');

  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (err) {
    throw bad(`the image data does not inflate (${(err as Error).message})`);
  }
  const bpp = (samples * depth) / 8;
  const stride = width * bpp;
  if (raw.length < height * (stride + 1)) throw bad('the image data is shorter than its size says');
  const pixels = unfilter(raw, height, stride, bpp);
  const eight = depth === 16 ? pixels.filter((_, i) => i % 2 === 0) : pixels;
  if (colorType === 3 && palette) return { width, height, channels: 3, data: expandPalette(eight, palette) };
  return { width, height, channels: samples as DecodedImage['channels'], data: eight };
}

/** Undoes PNG's per-row filters (None, Sub, Up, Average, Paeth). */
function unfilter(raw: Uint8Array, height: number, stride: number, bpp: number): Uint8Array {
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = out.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? out.subarray((y - 1) * stride, y * stride) : new Uint8Array(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (row[x - bpp] as number) : 0;
      const b = prev[x] as number;
      const c = x >= bpp ? (prev[x - bpp] as number) : 0;
      const s = src[x] as number;
      switch (filter) {
        case 0: row[x] = s; break;
        case 1: row[x] = s + a; break;
        case 2: row[x] = s + b; break;
        case 3: row[x] = s + ((a + b) >> 1); break;
        case 4: row[x] = s + paeth(a, b, c); break;
        default: throw bad(`unknown row filter ${filter}`);
      }
    }
  }
  return out;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

function expandPalette(indices: Uint8Array, palette: Uint8Array): Uint8Array {
  const out = new Uint8Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    const p = (indices[i] as number) * 3;
    out[i * 3] = palette[p] ?? 0;
    out[i * 3 + 1] = palette[p + 1] ?? 0;
    out[i * 3 + 2] = palette[p + 2] ?? 0;
  }
  return out;
}
