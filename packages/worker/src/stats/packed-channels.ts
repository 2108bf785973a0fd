/**
 * Per-channel statistics packed into two typed arrays: a CNN run has thousands, far cheaper to
 * serialise so than as objects.
 * @module
 */
import type { LayerResult, TensorStats } from '@cnnvis/protocol';

/** Numbers per channel: min, max, mean, std, zeros, nan, inf. */
export const CHANNEL_FIELDS = 7;
const FIELDS = CHANNEL_FIELDS;

/** Every layer's per-channel statistics, in layer order. */
export interface ChannelArrays {
  /** How many channels each layer has, in layer order. */
  channelCounts: Uint32Array;
  /** FIELDS numbers per channel; NaN stands for null (a real statistic is finite). */
  channelStats: Float64Array;
}

/** Statistics left in a run's maps file after the maps: `channelStats`' bytes from `statsAt`. */
export interface FileChannels {
  channelCounts: Uint32Array;
  statsAt: number;
}

/** Whether statistics are in a file rather than in memory. */
export function isFileChannels(c: ChannelArrays | FileChannels): c is FileChannels {
  return 'statsAt' in c;
}

/** The bytes of `channelCounts`' statistics. */
export function channelStatsBytes(channelCounts: Uint32Array): number {
  let channels = 0;
  for (const n of channelCounts) channels += n;
  return channels * FIELDS * Float64Array.BYTES_PER_ELEMENT;
}

export interface PackedChannels extends ChannelArrays {
  /** The layers with empty `channels`. */
  layers: LayerResult[];
}

/** The layers' per-channel statistics, packed. */
export function packChannels(full: readonly LayerResult[]): PackedChannels {
  const channelCounts = Uint32Array.from(full, (l) => l.channels.length);
  const channelStats = new Float64Array(channelCounts.reduce((a, b) => a + b, 0) * FIELDS);
  let k = 0;
  for (const layer of full) {
    for (const c of layer.channels) {
      packStats(c, channelStats, k);
      k += FIELDS;
    }
  }
  const layers = full.map((l) => ({ ...l, channels: [] }));
  return { layers, channelCounts, channelStats };
}

/** The inverse of {@link packChannels}. */
export function unpackChannels({ layers, channelCounts, channelStats: s }: PackedChannels): LayerResult[] {
  let k = 0;
  return layers.map((layer, i) => {
    const channels: TensorStats[] = new Array<TensorStats>(channelCounts[i] ?? 0);
    for (let c = 0; c < channels.length; c++, k += FIELDS) channels[c] = statsAt(s, k);
    return { ...layer, channels };
  });
}

/** Packs `c` at `s[k…k+6]`, null as NaN: the inverse of {@link statsAt}. */
export function packStats(c: TensorStats, s: Float64Array, k: number): void {
  s[k] = c.min ?? NaN;
  s[k + 1] = c.max ?? NaN;
  s[k + 2] = c.mean ?? NaN;
  s[k + 3] = c.std ?? NaN;
  s[k + 4] = c.zeros;
  s[k + 5] = c.nan;
  s[k + 6] = c.inf;
}

/** The statistics packed at `s[k…k+6]`. */
export function statsAt(s: Float64Array, k: number): TensorStats {
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    min: orNull(s[k] as number),
    max: orNull(s[k + 1] as number),
    mean: orNull(s[k + 2] as number),
    std: orNull(s[k + 3] as number),
    zeros: s[k + 4] as number,
    nan: s[k + 5] as number,
    inf: s[k + 6] as number,
  };
}
