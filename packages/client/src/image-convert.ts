/**
 * What users hold (pixel arrays, PNG/JPEG bytes) as images travel: 8-bit raw pixels or encoded
 * files, as binary.
 * @module
 */
import { detectImageFormat, type ImageInput } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import { floatsToBytesSimd } from './pixel-kernels';

/** Where converted pixels are written: a new array, or one lent by the SDK's buffer pool. */
export type ByteAlloc = (bytes: number) => Uint8Array;
const newBytes: ByteAlloc = (bytes) => new Uint8Array(bytes);

/** Pixel arrays the SDK accepts. Floats are scaled to 0–255 (see {@link toUint8Pixels}). */
export type PixelArray = Uint8Array | Uint8ClampedArray | Float32Array | Float64Array;

/** `[C, H, W]` (channels first, C = 1, 3 or 4) or `[H, W]` for grey. */
export type ImageShape = readonly [number, number, number] | readonly [number, number];

/**
 * Raw pixels with their shape.
 * @example
 * const img: RawImage = { data: new Float32Array(3 * 32 * 32), shape: [3, 32, 32] };
 */
export interface RawImage {
  data: PixelArray;
  shape: ImageShape;
  caption?: string;
}

/**
 * A PNG or JPEG file's bytes, told apart by their magic bytes.
 * @example
 * const img: EncodedImage = { data: readFileSync('cat.png'), caption: 'cat' };
 */
export interface EncodedImage {
  data: Uint8Array;
  caption?: string;
}

/** An image in any form: raw pixels, encoded bytes (bare or with a caption), or a file path (Node only). */
export type ImageSource = RawImage | EncodedImage | Uint8Array | string;
/** An image whose file, if any, has been read. */
export type LoadedImageSource = Exclude<ImageSource, string>;

/**
 * 8-bit pixels from any {@link PixelArray}. Bytes pass through untouched (no
 * copy). Floats are normalised like Visdom and torchvision: when the largest
 * value is at most 1 they are multiplied by 255, then clamped to 0–255 and
 * rounded; NaN becomes 0.
 * @example
 * toUint8Pixels(new Float32Array([0, 0.5, 1])); // Uint8Array [0, 128, 255]
 */
export function toUint8Pixels(data: PixelArray, alloc: ByteAlloc = newBytes): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof Uint8ClampedArray) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return (data instanceof Float32Array ? floatsToBytesSimd(data, alloc) : undefined) ?? floatsToBytes(data, alloc);
}

/**
 * The plain-JS conversion, for doubles, huge images and runtimes without SIMD: float32
 * arithmetic, as torchvision's `mul(255).add_(0.5).clamp_(0, 255)`.
 */
export function floatsToBytes(data: Float32Array | Float64Array, alloc: ByteAlloc = newBytes): Uint8Array {
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) if ((data[i] as number) > max) max = data[i] as number;
  const scale = max <= 1 ? 255 : 1;
  const out = alloc(data.length);
  for (let i = 0; i < data.length; i++) {
    // Clamp as a double, then `| 0` truncates (Math.round for v + 0.5 >= 0) and stores an
    // integer, several times faster than storing a double; NaN fails both tests and becomes 0.
    const v = Math.fround(Math.fround((data[i] as number) * scale) + 0.5);
    out[i] = v >= 255 ? 255 : v >= 1 ? v | 0 : 0;
  }
  return out;
}

/**
 * The wire form of one image. `path` names the argument in error messages.
 * The protocol's schema checks the rest (shape against data length, sizes).
 * @example
 * toImageInput({ data: new Float32Array(4), shape: [2, 2] }); // { encoding: 'raw', shape: [2, 2], data: Uint8Array(4) }
 */
export function toImageInput(src: LoadedImageSource, path = 'image', alloc: ByteAlloc = newBytes): ImageInput {
  if (ArrayBuffer.isView(src)) return toImageInput({ data: src as Uint8Array }, path, alloc);
  let img: ImageInput;
  if ('shape' in src && src.shape !== undefined) {
    const { shape } = src;
    // A friendly message for the usual mistake of passing HWC instead of CHW.
    if (shape.length === 3 && ![1, 3, 4].includes(shape[0])) {
      const got = `got [${shape.join(', ')}] (channels go first, not last)`;
      const message = `must be [C, H, W] with C = 1, 3 or 4, or [H, W]; ${got}`;
      throw CnnvisClientError.badRequest([{ path: `${path}.shape`, message }]);
    }
    const raw = [...shape] as Extract<ImageInput, { encoding: 'raw' }>['shape'];
    img = { encoding: 'raw', shape: raw, data: toUint8Pixels(src.data, alloc) };
  } else {
    const format = src.data instanceof Uint8Array ? detectImageFormat(src.data) : undefined;
    if (format === undefined) {
      throw CnnvisClientError.badRequest([
        { path, message: 'is neither PNG nor JPEG bytes; pass { data, shape } for raw pixels' },
      ]);
    }
    img = { encoding: format, data: src.data as Uint8Array };
  }
  if (src.caption !== undefined) img.caption = src.caption;
  return img;
}
