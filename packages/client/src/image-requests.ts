/**
 * Requests of `viz.image` and `viz.images`; pixels travel as binary attachments.
 * @module
 */
import { IMAGE_GRID_DEFAULTS } from '@cnnvis/protocol';
import type { ImageInput } from '@cnnvis/protocol';
import { CnnvisClientError } from './client-error';
import { makeGrid, type ImageBatch } from './image-grid';
import { toImageInput, type ByteAlloc, type ImageSource, type LoadedImageSource } from './image-convert';
import type { ImageOptions, ImagesOptions } from './options';
import { createRequest, type WritePlan } from './request-common';

/**
 * Read an image given as a file path (Node only); other sources pass through.
 * @example
 * const img = await loadImageSource('samples/cat.jpg'); // { data: <Buffer ff d8 ff ...> }
 */
export async function loadImageSource(src: ImageSource): Promise<LoadedImageSource> {
  if (typeof src !== 'string') return src;
  // Imported lazily so that browser bundles of the SDK do not pull in `fs`.
  const { readFile } = await import('node:fs/promises');
  try {
    return { data: await readFile(src) };
  } catch (err) {
    throw new CnnvisClientError({
      code: 'BAD_REQUEST',
      message: `image: cannot read ${src}: ${(err as Error).message}`,
      issues: [{ path: 'image', message: `cannot read ${src}` }],
      cause: err,
    });
  }
}

/**
 * Plan a window showing one image, captioned by `opts.caption` unless it has its own. `alloc`
 * gives the bytes converted pixels are written to.
 * @example
 * planImage({ data: pixels, shape: [3, 32, 32] }, { win: 'input', caption: 'epoch 3' }, 'main');
 */
export function planImage(src: LoadedImageSource, opts: ImageOptions, defaultEnv: string, alloc?: ByteAlloc): WritePlan {
  const image = toImageInput(src, 'image', alloc);
  if (image.caption === undefined && opts.caption !== undefined) image.caption = opts.caption;
  const content = { kind: 'image' as const, images: [image] };
  return { create: createRequest(opts, defaultEnv, content) };
}

/**
 * Plan a window of several images: a batch `[N, C, H, W]` composed here into one grid, or an
 * array of images the UI lays out `nrow` per row.
 * @example
 * planImages({ data: maps, shape: [64, 1, 56, 56] }, { win: 'conv1', nrow: 8 }, 'main');
 */
export function planImages(
  batch: ImageBatch | readonly LoadedImageSource[],
  opts: ImagesOptions,
  defaultEnv: string,
  alloc?: ByteAlloc,
): WritePlan {
  const nrow = opts.nrow ?? IMAGE_GRID_DEFAULTS.nrow;
  const padding = opts.padding ?? IMAGE_GRID_DEFAULTS.padding;
  let images: ImageInput[];
  if (isImageList(batch)) {
    images = batch.map((src, i) => toImageInput(src, `images[${i}]`, alloc));
  } else {
    if (!Number.isInteger(nrow) || nrow < 1) {
      throw CnnvisClientError.badRequest([{ path: 'nrow', message: `must be a positive integer, got ${nrow}` }]);
    }
    if (!Number.isInteger(padding) || padding < 0) {
      throw CnnvisClientError.badRequest([{ path: 'padding', message: `must be a non-negative integer, got ${padding}` }]);
    }
    const grid = makeGrid(batch, { nrow, padding });
    const image: ImageInput = { encoding: 'raw', shape: grid.shape as [1 | 3 | 4, number, number], data: grid.data };
    if (opts.caption !== undefined) image.caption = opts.caption;
    images = [image];
  }
  const content = { kind: 'image' as const, images, nrow, padding };
  return { create: createRequest(opts, defaultEnv, content) };
}

function isImageList(batch: ImageBatch | readonly LoadedImageSource[]): batch is readonly LoadedImageSource[] {
  return Array.isArray(batch);
}
