/**
 * One tensor's statistics and feature map with the JS loops: the path of a session's first run
 * and the reference the SIMD kernels are tested against.
 * @module
 */
import type { TensorStats } from '@cnnvis/protocol';
import { quantizeFeatureMap } from './feature-map';
import { tensorStats } from './tensor-stats';

/** The statistics and feature map of one tensor. */
export function summarizeTensor(tensor: string, data: Float32Array, shape: readonly number[], maxChannels: number) {
  const { stats, channels } = tensorStats(data, shape);
  const map = quantizeFeatureMap(tensor, data, shape, maxChannels, batchOneRanges(shape, stats, channels));
  return { stats, channels, map };
}

/** With a batch of one, the statistics' ranges are the map's, which needs no pass of its own. */
export function batchOneRanges(shape: readonly number[], stats: TensorStats, channels: readonly TensorStats[]): [number, number][] | undefined {
  const range = (t: TensorStats): [number, number] => [t.min ?? 0, t.max ?? 0];
  if (shape.length <= 1 || (shape.length === 2 && shape[0] === 1)) return [range(stats)];
  if (shape.length === 4 && shape[0] === 1) return channels.map(range);
  return undefined;
}

