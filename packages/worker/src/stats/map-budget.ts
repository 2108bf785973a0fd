/**
 * How many channels per layer a run stores: every channel, unless the maps would pass the run's
 * byte budget; then the same number for every layer, so paging stops at the same channel in each.
 * @module
 */
import { mapLayout } from './feature-map';

/** Bytes a run's maps may take when the job names no budget: a ResNet-50 at 224×224 takes about 25 MB. */
export const DEFAULT_MAX_MAP_BYTES = 64 * 1024 * 1024;

/** Bytes of one tensor's map keeping at most `keep` channels (a flat map keeps all its values). */
function mapBytes(shape: readonly number[], keep: number): number {
  const { channels, height, width, flat } = mapLayout(shape);
  return (flat ? channels : Math.min(channels, keep)) * height * width;
}

/**
 * The channels every map keeps: at most `maxChannels`, and the most (at least one) whose maps
 * together stay within `maxBytes`; one number for every layer, so paging stops alike in each.
 */
export function channelsWithin(shapes: ReadonlyArray<readonly number[]>, maxChannels: number, maxBytes: number = DEFAULT_MAX_MAP_BYTES): number {
  const total = (keep: number) => shapes.reduce((n, s) => n + mapBytes(s, keep), 0);
  let lo = 1;
  let hi = Math.max(1, Math.min(maxChannels, Math.max(1, ...shapes.map((s) => mapLayout(s).channels))));
  if (total(hi) <= maxBytes) return hi;
  // The total grows with `keep`: the largest that fits lies in [lo, hi).
  while (lo < hi - 1) {
    const mid = (lo + hi) >>> 1;
    if (total(mid) <= maxBytes) lo = mid;
    else hi = mid;
  }
  return lo;
}
