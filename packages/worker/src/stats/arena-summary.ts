/**
 * Statistics and feature map of a tensor in an activation arena, with the SIMD kernels for 4-D
 * tensors: the results of {@link summarizeTensor}, the map's bytes a view into the arena.
 * @module
 */
import type { TensorStats } from '@cnnvis/protocol';
import type { FeatureMap } from '../analyze/analyze-types';
import type { ArenaSlot } from './activation-arena';
import { finiteRange, quantizeFeatureMap, quantizeInto } from './feature-map';
import type { SimdKernels } from './simd-kernels';
import { tensorStatsInto } from './tensor-stats';
import { batchOneRanges } from './tensor-summary';

/** Numbers per plane in the kernels' raw moments: sum, sum of squares, min, max, zeros. */
const SUM_FIELDS = 5;

/** The layer's statistics and map; a 4-D tensor's channels' go to `channelStats` from `at`. */
export function summarizeSlot(k: SimdKernels, buffer: ArrayBuffer, slot: ArenaSlot, channelStats: Float64Array, at: number): { stats: TensorStats; map: FeatureMap } {
  const { name, shape, length, floatsAt, plane, count, resultsAt, keep, mapPlane, mapAt } = slot;
  const data = new Float32Array(buffer, floatsAt, length);
  const bytes = new Uint8Array(buffer, mapAt, keep * mapPlane);
  const fourD = shape.length === 4;
  k.moments(floatsAt, plane, count, resultsAt);
  const sums = new Float64Array(buffer, resultsAt, count * SUM_FIELDS);
  const stats = tensorStatsInto(data, shape, channelStats, at, sums);
  if (!fourD) {
    // Rare in a CNN and small (a classifier's logits): the JS loops, then into the arena.
    const map = quantizeFeatureMap(name, data, shape, keep, batchOneRanges(shape, stats, []));
    bytes.set(map.data);
    return { stats, map: { ...map, data: bytes } };
  }
  const channelMin = new Float32Array(keep);
  const channelMax = new Float32Array(keep);
  for (let c = 0; c < keep; c++) {
    const at = c * SUM_FIELDS;
    const s1 = sums[at] as number;
    const s2 = sums[at + 1] as number;
    // + 0: a zero minimum is reported as 0, as the statistics report it.
    let lo = (sums[at + 2] as number) + 0;
    let hi = (sums[at + 3] as number) + 0;
    if (plane === 0) {
      lo = hi = 0; // no values: the kernel wrote nothing here
    } else if (Number.isFinite(s1 + s2) && Number.isFinite(hi - lo)) {
      k.quantize(floatsAt + c * plane * 4, plane, lo, hi, mapAt + c * plane);
    } else {
      // NaN or Inf in this plane: quantise over its finite range.
      const src = data.subarray(c * plane, (c + 1) * plane);
      [lo, hi] = finiteRange(src);
      quantizeInto(src, lo, hi, bytes.subarray(c * plane, (c + 1) * plane));
    }
    channelMin[c] = lo;
    channelMax[c] = hi;
  }
  const map: FeatureMap = { tensor: name, shape: [keep, shape[2] as number, shape[3] as number], channelMin, channelMax, data: bytes };
  return { stats, map };
}
