/**
 * An encoded image to the model's input tensor: decoded, converted to grey or RGB, resized to
 * the model's H×W, then `(pixel * scale - mean[c]) / std[c]`, as NCHW float32 with batch 1.
 * @module
 */
import type { Preprocess } from '@cnnvis/protocol';
import { WorkerError } from '../worker-error';
import { decodeImage, type DecodedImage } from './decode-image';

/** Preprocess with every default filled in. */
type ResolvedPreprocess = Required<Preprocess>;

/** Defaults: resize on, scale 1/255, mean 0, std 1, RGB order. */
function resolvePreprocess(p: Preprocess = {}): ResolvedPreprocess {
  return { resize: p.resize ?? true, mean: p.mean ?? [0], std: p.std ?? [1], channelOrder: p.channelOrder ?? 'rgb', scale: p.scale ?? 1 / 255 };
}

/** The input tensor for a model input `[N, C, H, W]` (a symbolic H or W: the image's own). */
export function imageToTensor(bytes: Uint8Array, inputShape: readonly (number | string | null)[] | null, preprocess?: Preprocess): { data: Float32Array; shape: number[] } {
  if (!inputShape || inputShape.length !== 4) {
    throw new WorkerError('BAD_INPUT', `an image input needs a model whose input is 4-D NCHW; this one is ${inputShape ? `[${inputShape.join(', ')}]` : 'of unknown shape'}`);
  }
  const p = resolvePreprocess(preprocess);
  const img = decodeImage(bytes);
  const c = typeof inputShape[1] === 'number' ? inputShape[1] : 3;
  if (c !== 1 && c !== 3) throw new WorkerError('BAD_INPUT', `an image input needs a model with 1 or 3 input channels; this one has ${c}`);
  const fixed = (d: number | string | null | undefined, own: number) => (p.resize && typeof d === 'number' ? d : own);
  const h = fixed(inputShape[2], img.height);
  const w = fixed(inputShape[3], img.width);
  if (typeof inputShape[2] === 'number' && typeof inputShape[3] === 'number' && (h !== inputShape[2] || w !== inputShape[3])) {
    throw new WorkerError('BAD_INPUT', `the image is ${img.width}×${img.height} and the model takes ${inputShape[3]}×${inputShape[2]}; turn preprocess.resize on`);
  }
  const planes = toPlanes(img, c, p.channelOrder);
  const data = new Float32Array(c * h * w);
  for (let ch = 0; ch < c; ch++) {
    const mean = p.mean[ch] ?? p.mean[0] ?? 0;
    const std = p.std[ch] ?? p.std[0] ?? 1;
    const out = data.subarray(ch * h * w, (ch + 1) * h * w);
    resizeBilinear(planes[ch] as Float32Array, img.width, img.height, out, w, h);
    for (let i = 0; i < out.length; i++) out[i] = ((out[i] as number) * p.scale - mean) / std;
  }
  return { data, shape: [1, c, h, w] };
}

/** Separate float planes of 0..255 values: 1 grey (ITU-R BT.601 luma) or 3 in the asked order. */
function toPlanes(img: DecodedImage, c: number, order: 'rgb' | 'bgr'): Float32Array[] {
  const n = img.width * img.height;
  const planes = Array.from({ length: c }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const r = img.data[i * 4] as number;
    const g = img.data[i * 4 + 1] as number;
    const b = img.data[i * 4 + 2] as number;
    if (c === 1) (planes[0] as Float32Array)[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      (planes[0] as Float32Array)[i] = order === 'rgb' ? r : b;
      (planes[1] as Float32Array)[i] = g;
      (planes[2] as Float32Array)[i] = order === 'rgb' ? b : r;
    }
  }
  return planes;
}

/** Bilinear resize with half-pixel centres (as PIL, torchvision and PyTorch's interpolate). */
export function resizeBilinear(src: Float32Array, sw: number, sh: number, dst: Float32Array, dw: number, dh: number): void {
  if (sw === dw && sh === dh) {
    dst.set(src);
    return;
  }
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * sh) / dh - 0.5, 0), sh - 1);
    const y0 = Math.floor(fy), y1 = Math.min(y0 + 1, sh - 1), wy = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * sw) / dw - 0.5, 0), sw - 1);
      const x0 = Math.floor(fx), x1 = Math.min(x0 + 1, sw - 1), wx = fx - x0;
      const top = (src[y0 * sw + x0] as number) * (1 - wx) + (src[y0 * sw + x1] as number) * wx;
      const bottom = (src[y1 * sw + x0] as number) * (1 - wx) + (src[y1 * sw + x1] as number) * wx;
      dst[y * dw + x] = top * (1 - wy) + bottom * wy;
    }
  }
}
