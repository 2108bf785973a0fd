/** Encoded model inputs (PNG through pngjs, JPEG through jpeg-js) to 8-bit RGBA pixels. @module */
import { detectImageFormat } from '@cnnvis/protocol';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { WorkerError } from '../worker-error';

/** An image as 8-bit RGBA, row-major: `width * height * 4` bytes. */
export interface DecodedImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** pngjs's message when the file ends before a chunk or the image data does. */
const PNG_ENDS_EARLY = /read requests waitng on finished stream/;

/** Throws BAD_INPUT for bytes that are no decodable PNG or JPEG. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const format = detectImageFormat(bytes);
  if (format === undefined) throw new WorkerError('BAD_INPUT', 'the encoded input is neither a PNG nor a JPEG file');
  try {
    if (format === 'jpeg') return decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true });
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new WorkerError('BAD_INPUT', `cannot decode the ${format.toUpperCase()} input: ${PNG_ENDS_EARLY.test(why) ? 'the file is truncated' : why}`);
  }
}
