/**
 * A run's feature maps as one file: every map's quantised bytes back to back,
 * written with a few writev calls, and the index of where each lies. The
 * server serves a map as a byte range of the file, so the bytes never go
 * through the IPC pipe or SQLite (storing them there took about a quarter of
 * a ResNet-18 run's end-to-end time).
 * @module
 */
import { closeSync, openSync, writeSync, writevSync } from 'node:fs';
import type { FeatureMap, FeatureMapRange } from './analyze-types';
import { WorkerError } from '../worker-error';

/** Buffers per writev call: stays under IOV_MAX (1024 on Linux) for models with many layers. */
const BATCH = 512;

/**
 * Writes `maps` to `path` (created or truncated) and returns their ranges.
 * The bytes reach the page cache before this returns, so a caller that
 * records the run afterwards never records maps that are not there.
 * @example
 * const ranges = writeMapsFile('/data/runs/run_1.maps', out.maps);
 * ranges[0]; // { tensor, shape, channelMin, channelMax, offset: 0, length }
 */
export function writeMapsFile(path: string, maps: readonly FeatureMap[]): FeatureMapRange[] {
  const ranges: FeatureMapRange[] = [];
  let offset = 0;
  for (const { data, ...meta } of maps) {
    ranges.push({ ...meta, offset, length: data.byteLength });
    offset += data.byteLength;
  }
  const fd = openSync(path, 'w');
  try {
    let position = 0;
    for (let i = 0; i < maps.length; i += BATCH) {
      const batch = maps.slice(i, i + BATCH).map((m) => m.data);
      const size = batch.reduce((n, b) => n + b.byteLength, 0);
      const written = writevSync(fd, batch, position);
      // A short write (rare on a regular file) is finished buffer by buffer.
      if (written < size) writeRest(fd, batch, position, written);
      position += size;
    }
  } finally {
    closeSync(fd);
  }
  return ranges;
}

function writeRest(fd: number, batch: Uint8Array[], start: number, done: number): void {
  let skip = done;
  let position = start + done;
  for (const buf of batch) {
    if (skip >= buf.byteLength) {
      skip -= buf.byteLength;
      continue;
    }
    let at = skip;
    skip = 0;
    while (at < buf.byteLength) {
      const n = writeSync(fd, buf, at, buf.byteLength - at, position);
      at += n;
      position += n;
    }
  }
}

/**
 * The output with its maps moved to the job's file, when the job names one.
 * @example
 * return spillMaps(output, job.mapsPath);
 */
export function spillMaps<T extends { maps: FeatureMap[] }>(out: T, mapsPath: string | undefined): T & { mapRanges?: FeatureMapRange[] } {
  if (mapsPath === undefined) return out;
  try {
    return { ...out, maps: [], mapRanges: writeMapsFile(mapsPath, out.maps) };
  } catch (err) {
    throw new WorkerError('INTERNAL', `could not write the feature maps to ${mapsPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
