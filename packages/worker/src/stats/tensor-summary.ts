/**
 * One tensor's statistics and feature map together: the tensor is copied
 * once into the SIMD kernels' memory (simd-kernels.ts) and both read that
 * copy; with a batch of one, the statistics' per-channel ranges are the
 * map's, so the map needs no pass of its own. Without WebAssembly SIMD the
 * JS loops give the same results.
 * @module
 */
import type { TensorStats } from '@cnnvis/protocol';
import type { FeatureMap } from '../analyze/analyze-types';
import { mapLayout, quantizeFeatureMap } from './feature-map';
import { simdKernels } from './simd-kernels';
import { statsPlanes, tensorStats } from './tensor-stats';

export interface TensorSummary {
  stats: TensorStats;
  channels: TensorStats[];
  map: FeatureMap;
}

/**
 * @example
 * const { stats, channels, map } = summarizeTensor('/relu/Relu_output_0', data, [1, 64, 56, 56], 16);
 */
export function summarizeTensor(tensor: string, data: Float32Array, shape: readonly number[], maxChannels: number): TensorSummary {
  const { plane, count } = statsPlanes(shape, data.length);
  const { height, width } = mapLayout(shape);
  const loaded = simdKernels()?.load(data, count, height * width);
  const { stats, channels } = tensorStats(data, shape, loaded?.planeSums(plane, count));
  const map = quantizeFeatureMap(tensor, data, shape, maxChannels, { ranges: batchOneRanges(shape, stats, channels), loaded });
  return { stats, channels, map };
}

/**
 * With a batch of one, the statistics' finite min and max are exactly the
 * ranges the feature maps quantise over; undefined where they are not.
 */
export function batchOneRanges(shape: readonly number[], stats: TensorStats, channels: readonly TensorStats[]): [number, number][] | undefined {
  const range = (t: TensorStats): [number, number] => [t.min ?? 0, t.max ?? 0];
  if (shape.length <= 1 || (shape.length === 2 && shape[0] === 1)) return [range(stats)];
  if (shape.length === 4 && shape[0] === 1) return channels.map(range);
  return undefined;
}

