/**
 * Models for the analysis tests of the server and the SDK: the worker's
 * fixture files (exported from PyTorch by packages/worker/fixtures-src) and
 * the models built in code, plus the SHA-256 that names a model.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export { endlessLoopModel, resnetNamedModel, RESNET_CONV1, sobelModel, SOBEL_BIAS, SOBEL_X, SOBEL_Y } from './test-models';

const FIXTURES = join(__dirname, '..', '..', 'packages', 'worker', 'test', 'fixtures');

/** The seed's small ConvNet: conv 1→32 3×3, ReLU, max-pool 2, fc 6272→128, ReLU, fc 128→10; input [1, 1, 28, 28]. */
export const CONVNET_PATH = join(FIXTURES, 'convnet.onnx');

export interface ReferenceLayer {
  module: string;
  tensor: string;
  shape: number[];
  stats: { min: number; max: number; mean: number; std: number; zeros: number };
  /** [flat index, value] pairs of batch item 0… of the whole tensor. */
  samples: Array<[number, number]>;
}

/** PyTorch's record of the ConvNet on its fixture input (see packages/worker/fixtures-src). */
export function convnetReference(): { input: { shape: number[]; data: number[] }; layers: ReferenceLayer[] } {
  return JSON.parse(readFileSync(join(FIXTURES, 'convnet-reference.json'), 'utf8')) as ReturnType<typeof convnetReference>;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
