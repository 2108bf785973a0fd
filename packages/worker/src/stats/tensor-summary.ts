/**
 * One tensor's statistics and feature map together, with the JS loops: with
 * a batch of one, the statistics' per-channel ranges are the map's, so the
 * map needs no pass of its own. Runs into an activation arena take the SIMD
 * kernel instead (arena-summary.ts); this is the path of a session's first
 * run and the reference the kernel is tested against.
 * @module
 */
import type { TensorStats } from '@cnnvis/protocol';
import type { FeatureMap } from '../analyze/analyze-types';
import { quantizeFeatureMap } from './feature-map';
import { tensorStats } from './tensor-stats';

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
  const { stats, channels } = tensorStats(data, shape);
  const map = quantizeFeatureMap(tensor, data, shape, maxChannels, batchOneRanges(shape, stats, channels));
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

