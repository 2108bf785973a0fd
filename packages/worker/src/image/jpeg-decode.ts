/**
 * JPEG decoding through the `jpeg-js` package (pure JavaScript), loaded only
 * when a JPEG arrives, so a missing package fails that input clearly and
 * nothing else.
 * @module
 */
import { detectImageFormat } from '@cnnvis/protocol';
import { WorkerError } from '../worker-error';
import type { DecodedImage } from './decoded-image';

/** True when the bytes start with a JPEG SOI marker. */
export function isJpeg(bytes: Uint8Array): boolean {
  return detectImageFormat(bytes) === 'jpeg';
}

/** The part of jpeg-js's API used here. */
interface JpegJs {
  decode(data: Uint8Array, opts: { useTArray: true; formatAsRGBA: boolean }): { width: number; height: number; data: Uint8Array };
}

function loadJpegJs(): JpegJs {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional, loaded on first JPEG
    return require('jpeg-js') as JpegJs;
  } catch {
    throw new WorkerError('BAD_INPUT', 'JPEG input needs the jpeg-js package, which is not installed; send a PNG or a tensor');
  }
}

/**
 * Decodes a baseline or progressive JPEG to 8-bit grey or RGB samples.
 * @example
 * const img = decodeJpeg(readFileSync('cat.jpg')); // img.channels === 3
 */
export function decodeJpeg(bytes: Uint8Array): DecodedImage {
  const jpeg = loadJpegJs();
  let out: ReturnType<JpegJs['decode']>;
  try {
    out = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  } catch (err) {
    throw new WorkerError('BAD_INPUT', `cannot decode the JPEG input: ${(err as Error).message}`);
  }
  const channels = out.data.length / (out.width * out.height);
  if (channels !== 1 && channels !== 3) throw new WorkerError('BAD_INPUT', `cannot decode the JPEG input: ${channels} colour components`);
  return { width: out.width, height: out.height, channels, data: out.data };
}
