/**
 * Reading a run's maps file, the other half of maps-file.ts: one map's bytes
 * by its range, and the per-channel statistics a pooled job leaves after the
 * maps. The server's store and routes read the file only through these, so
 * its layout stays the worker's to change.
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { LayerResult } from '@cnnvis/protocol';
import { channelStatsBytes, isFileChannels, unpackChannels, type ChannelArrays, type FileChannels } from '../stats/packed-channels';
import type { FeatureMapRange } from './analyze-types';

/**
 * One map's bytes from the maps file at `path` (a map is at most a few MB: read whole, not streamed).
 * Rejects with the read's error (ENOENT once the run's file is removed), and when the file ends too soon.
 * @example
 * const bytes = await readMapBytes(store.mapsPath(runId), range); // range from writeMapsFile or the sink
 */
export async function readMapBytes(path: string, map: Pick<FeatureMapRange, 'tensor' | 'offset' | 'length'>): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const data = Buffer.allocUnsafe(map.length);
    for (let done = 0; done < map.length; ) {
      const { bytesRead } = await file.read(data, done, map.length - done, map.offset + done);
      if (bytesRead === 0) throw new Error(`the maps file ${path} ends before the bytes of tensor '${map.tensor}'`);
      done += bytesRead;
    }
    return data;
  } finally {
    await file.close();
  }
}

/**
 * The statistics of {@link FileChannels} in the maps file at `path`, as arrays.
 * Throws what the read throws, and when the file ends too soon.
 * @example
 * const arrays = readChannelStats(mapsPath, { channelCounts, statsAt });
 * const layers = unpackChannels({ layers, ...arrays });
 */
export function readChannelStats(path: string, { channelCounts, statsAt }: FileChannels): ChannelArrays {
  const channelStats = new Float64Array(channelStatsBytes(channelCounts) / Float64Array.BYTES_PER_ELEMENT);
  const fd = openSync(path, 'r');
  try {
    for (let done = 0; done < channelStats.byteLength; ) {
      const n = readSync(fd, channelStats, done, channelStats.byteLength - done, statsAt + done);
      if (n === 0) throw new Error(`${path} ends before the statistics' ${channelStats.byteLength} bytes from ${statsAt}`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return { channelCounts, channelStats };
}

/**
 * A run's per-channel statistics as arrays: `channels` as they are when in
 * memory, read from the maps file at `path` when they lie there.
 * @example
 * const arrays = readChannels(mapsPath, out.channelsInFile ?? out.packedChannels);
 */
export function readChannels(path: string, channels: ChannelArrays | FileChannels): ChannelArrays {
  return isFileChannels(channels) ? readChannelStats(path, channels) : channels;
}

/**
 * `layers` (with empty `channels`) with their per-channel statistics filled
 * in, from memory or from the maps file at `path` (see {@link readChannels}).
 * @example
 * const full = readLayers(mapsPath, run.layers, { channelCounts, statsAt });
 */
export function readLayers(path: string, layers: LayerResult[], channels: ChannelArrays | FileChannels): LayerResult[] {
  return unpackChannels({ layers, ...readChannels(path, channels) });
}
