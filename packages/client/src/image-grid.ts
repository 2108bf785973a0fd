/**
 * A batch of images as one grid image, like torchvision.utils.make_grid.
 * @module
 */
import type { Issue } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import { toUint8Pixels, type PixelArray } from './image-convert';

/** `[N, C, H, W]` (C = 1, 3 or 4) or `[N, H, W]` for grey images. */
export type BatchShape = readonly [number, number, number, number] | readonly [number, number, number];

/**
 * A batch of images in one array, e.g. a conv layer's feature maps as `[N, 1, H, W]`.
 * @example
 * const batch: ImageBatch = { data: new Float32Array(16 * 28 * 28), shape: [16, 1, 28, 28] };
 */
export interface ImageBatch {
  data: PixelArray;
  shape: BatchShape;
}

/** One image, `[C, H, W]`, 8-bit. */
export interface GridImage {
  data: Uint8Array;
  shape: [number, number, number];
}

function checkBatch(shape: BatchShape, length: number): [number, number, number, number] {
  const full = (shape.length === 4 ? [...shape] : [shape[0], 1, shape[1], shape[2]]) as [number, number, number, number];
  const issues: Issue[] = [];
  if (!full.every((d) => Number.isInteger(d) && d >= 1)) {
    issues.push({ path: 'shape', message: `must hold positive integers, got [${shape.join(', ')}]` });
  } else if (![1, 3, 4].includes(full[1])) {
    issues.push({ path: 'shape', message: `must be [N, C, H, W] with C = 1, 3 or 4, or [N, H, W]; got [${shape.join(', ')}]` });
  } else if (full.reduce((a, b) => a * b, 1) !== length) {
    issues.push({ path: 'data', message: `has ${length} values but shape [${shape.join(', ')}] needs ${full.reduce((a, b) => a * b, 1)}` });
  }
  if (issues.length > 0) throw CnnvisClientError.badRequest(issues);
  return full;
}

/**
 * Lay a batch out in rows of `nrow`, `padding` pixels apart and around, as
 * make_grid does: the grid is `C × (ceil(N/nrow)·(H+p)+p) × (min(N,nrow)·(W+p)+p)`
 * and image k sits at row `⌊k/nrow⌋`, column `k mod nrow`. Floats are
 * normalised over the whole batch first. A batch of one is returned as is,
 * without padding (make_grid does the same).
 * @example
 * makeGrid({ data: new Uint8Array(4 * 2 * 2), shape: [4, 2, 2] }, { nrow: 2, padding: 1 }).shape; // [1, 7, 7]
 */
export function makeGrid(batch: ImageBatch, opts: { nrow: number; padding: number }): GridImage {
  const [n, c, h, w] = checkBatch(batch.shape, batch.data.length);
  const pixels = toUint8Pixels(batch.data);
  if (n === 1) return { data: pixels, shape: [c, h, w] };
  const { nrow, padding: p } = opts;
  const cols = Math.min(nrow, n);
  const rows = Math.ceil(n / cols);
  const gh = rows * (h + p) + p;
  const gw = cols * (w + p) + p;
  const grid = new Uint8Array(c * gh * gw);
  for (let k = 0; k < n; k++) {
    const top = Math.floor(k / cols) * (h + p) + p;
    const left = (k % cols) * (w + p) + p;
    for (let ch = 0; ch < c; ch++) {
      const src = (k * c + ch) * h * w;
      const dst = ch * gh * gw;
      for (let y = 0; y < h; y++) {
        const from = src + y * w;
        grid.set(pixels.subarray(from, from + w), dst + (top + y) * gw + left);
      }
    }
  }
  return { data: grid, shape: [c, gh, gw] };
}
