/**
 * A run's feature maps as one file of their bytes back to back, with an index of where each
 * lies. The server serves a map as a byte range of it, so the bytes skip the IPC pipe and SQLite.
 * @module
 */
import { closeSync, fstatSync, openSync, write, writeSync } from 'node:fs';
import type { FeatureMap, FeatureMapRange } from './analyze-types';
import { WorkerError } from '../worker-error';

/**
 * Writes `maps` to `path` (created or truncated) and returns their ranges, once the bytes are
 * in the page cache.
 * @example
 * const ranges = writeMapsFile('/data/runs/run_1.maps', out.maps);
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
    writeBuffers(fd, maps.map((m) => m.data), 0);
  } finally {
    closeSync(fd);
  }
  return ranges;
}

/**
 * Appends `parts` to the maps file at `path` (made if missing) and returns the first's offset.
 * @example
 * const at = appendToMapsFile(store.mapsPath(runId), [input.data]);
 */
export function appendToMapsFile(path: string, parts: readonly Uint8Array[]): number {
  const fd = openSync(path, 'a');
  try {
    const at = fstatSync(fd).size;
    writeBuffers(fd, parts, at);
    return at;
  } finally {
    closeSync(fd);
  }
}

/** Writes `buffers` back to back from `position`, finishing short writes. */
function writeBuffers(fd: number, buffers: readonly Uint8Array[], position: number): void {
  for (const buf of buffers) {
    for (let at = 0; at < buf.byteLength; ) {
      at += writeSync(fd, buf, at, buf.byteLength - at, position + at);
    }
    position += buf.byteLength;
  }
}

/** Where a run's maps go as they are made. */
export interface MapsSink {
  add(map: FeatureMap): void;
  /** Writes `bytes` after the last map: their file offset, or undefined without a file. */
  append(bytes: Uint8Array): number | undefined;
  /** The maps in `maps`, or with a file in `mapRanges` once written; call it on failure too. */
  finish(): Promise<{ maps: FeatureMap[]; mapRanges?: FeatureMapRange[] }>;
}

/** Maps adjacent in one buffer (an arena's) are written together, up to this much a write. */
const COALESCE_BYTES = 512 * 1024;

/**
 * Maps kept in memory (no path), or written to `mapsPath` as they are added, on libuv's
 * threads while this one computes the next maps.
 */
export function createMapsSink(mapsPath: string | undefined): MapsSink {
  const maps: FeatureMap[] = [];
  if (mapsPath === undefined) {
    // A view into a larger buffer (the kernels' memory, which the next run reuses) is copied out.
    const own = (map: FeatureMap) => (map.data.byteLength === map.data.buffer.byteLength ? map : { ...map, data: map.data.slice() });
    return { add: (map) => void maps.push(own(map)), append: () => undefined, finish: async () => ({ maps }) };
  }
  const fail = (err: unknown) =>
    new WorkerError('INTERNAL', `could not write the feature maps to ${mapsPath}: ${err instanceof Error ? err.message : String(err)}`);
  let fd: number;
  try {
    fd = openSync(mapsPath, 'w');
  } catch (err) {
    throw fail(err);
  }
  const ranges: FeatureMapRange[] = [];
  const writes: Promise<void>[] = [];
  let offset = 0;
  /** Bytes not yet written, from file offset `pendingAt`. */
  let pending: Uint8Array | null = null;
  let pendingAt = 0;
  const flush = () => {
    if (pending) writes.push(writeAll(fd, pending, pendingAt));
    pending = null;
  };
  return {
    add({ data, ...meta }) {
      ranges.push({ ...meta, offset, length: data.byteLength });
      if (data.byteLength > 0) {
        if (pending && data.buffer === pending.buffer && data.byteOffset === pending.byteOffset + pending.byteLength) {
          pending = new Uint8Array(pending.buffer, pending.byteOffset, pending.byteLength + data.byteLength);
        } else {
          flush();
          pending = data;
          pendingAt = offset;
        }
        if (pending.byteLength >= COALESCE_BYTES) flush();
      }
      offset += data.byteLength;
    },
    append(bytes) {
      flush();
      const at = offset;
      if (bytes.byteLength > 0) writes.push(writeAll(fd, bytes, at));
      offset += bytes.byteLength;
      return at;
    },
    async finish() {
      flush();
      try {
        await Promise.all(writes);
      } catch (err) {
        throw fail(err);
      } finally {
        closeSync(fd);
      }
      return { maps: [], mapRanges: ranges };
    },
  };
}

/** Writes all of `data` at `position`, finishing a short write (rare on a regular file). */
async function writeAll(fd: number, data: Uint8Array, position: number): Promise<void> {
  for (let at = 0; at < data.byteLength; ) {
    at += await new Promise<number>((resolve, reject) => {
      write(fd, data, at, data.byteLength - at, position + at, (err, n) => (err ? reject(err) : resolve(n)));
    });
  }
}
