/**
 * Reading a run's maps file (maps-file.ts); the server reads it only through these, so its
 * layout stays the worker's to change.
 * @module
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { LayerResult } from '@cnnvis/protocol';
import { channelStatsBytes, isFileChannels, unpackChannels, type ChannelArrays, type FileChannels } from '../stats/packed-channels';
import type { FeatureMapRange } from './analyze-types';

/**
 * One map's bytes from the maps file at `path`; rejects when the file ends too soon.
 * @example
 * const bytes = await readMapBytes(store.mapsPath(runId), range);
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

/** The statistics of {@link FileChannels} in the maps file at `path`, as arrays. */
export function readChannelStats(path: string, { channelCounts, statsAt }: FileChannels): ChannelArrays {
  const bytes = readMapsFileRange(path, statsAt, channelStatsBytes(channelCounts), "the statistics'");
  return { channelCounts, channelStats: new Float64Array(bytes.buffer, 0, bytes.byteLength / Float64Array.BYTES_PER_ELEMENT) };
}

/**
 * `length` bytes from `at` in the maps file at `path`, in a buffer of their own (aligned for
 * any typed array); throws naming `what` when the file ends too soon.
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

/** A run's per-channel statistics as arrays, read from the maps file when they lie there. */
export function readChannels(path: string, channels: ChannelArrays | FileChannels): ChannelArrays {
  return isFileChannels(channels) ? readChannelStats(path, channels) : channels;
}

/** `layers` with their per-channel statistics filled in (see {@link readChannels}). */
export function readLayers(path: string, layers: LayerResult[], channels: ChannelArrays | FileChannels): LayerResult[] {
  return unpackChannels({ layers, ...readChannels(path, channels) });
}
