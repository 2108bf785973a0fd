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
  const bytes = readMapsFileRange(path, statsAt, channelStatsBytes(channelCounts), "the statistics'");
  return { channelCounts, channelStats: new Float64Array(bytes.buffer, 0, bytes.byteLength / Float64Array.BYTES_PER_ELEMENT) };
}

/**
 * `length` bytes from `at` in the maps file at `path`, in a buffer of their own (aligned for any typed array).
 * Throws what the read throws, and when the file ends too soon (naming `what`).
 * @example
 * const bytes = readMapsFileRange(mapsPath, ref.at, ref.length, "the run's input:"); // what appendToMapsFile put there
 */
export function readMapsFileRange(path: string, at: number, length: number, what: string): Uint8Array {
  const bytes = new Uint8Array(length);
  const fd = openSync(path, 'r');
  try {
    for (let done = 0; done < length; ) {
      const n = readSync(fd, bytes, done, length - done, at + done);
      if (n === 0) throw new Error(`${path} ends before ${what} ${length} bytes from ${at}`);
      done += n;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
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
