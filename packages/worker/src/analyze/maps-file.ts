/**
 * A run's feature maps as one file: every map's quantised bytes back to back,
 * and the index of where each lies; written at once ({@link writeMapsFile})
 * or as the maps are made ({@link createMapsSink}); maps-reader.ts reads it
 * back. The server serves a map as a byte range of the file, so the bytes
 * never go through the IPC pipe or SQLite, where they were a large share of
 * a run's end-to-end time.
 * @module
 */
import { closeSync, fstatSync, openSync, write, writeSync, writevSync } from 'node:fs';
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
    writeBuffers(fd, maps.map((m) => m.data), 0);
  } finally {
    closeSync(fd);
  }
  return ranges;
}

/**
 * Appends `parts` to the end of the maps file at `path` (made if missing),
 * back to back, and returns the offset of the first: what a kept run holds
 * beside its maps goes there, the store recording where.
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

/** Writes `buffers` back to back from `position`, at most BATCH a call. */
function writeBuffers(fd: number, buffers: readonly Uint8Array[], position: number): void {
  for (let i = 0; i < buffers.length; i += BATCH) {
    const batch = buffers.slice(i, i + BATCH);
    const size = batch.reduce((n, b) => n + b.byteLength, 0);
    const written = writevSync(fd, batch, position);
    // A short write (rare on a regular file) is finished buffer by buffer.
    if (written < size) writeRest(fd, batch, position, written);
    position += size;
  }
}

function writeRest(fd: number, batch: readonly Uint8Array[], start: number, done: number): void {
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

/** Where a run's maps go as they are made. */
export interface MapsSink {
  add(map: FeatureMap): void;
  /**
   * Writes `bytes` after the maps (call it after the last `add`) and returns
   * their file offset; undefined without a file.
   */
  append(bytes: Uint8Array): number | undefined;
  /**
   * The maps as the output holds them: in `maps`, or, with a file, in
   * `mapRanges` (`maps` empty) once every write has reached the page cache.
   * Call it also when the run fails, to close the file.
   */
  finish(): Promise<{ maps: FeatureMap[]; mapRanges?: FeatureMapRange[] }>;
}

/**
 * Maps adjacent in one buffer (an activation arena's, see arena-summary.ts)
 * are written together, up to this many bytes a write: a few writes a run
 * rather than one a map, each of which costs this thread time.
 */
const COALESCE_BYTES = 512 * 1024;

/**
 * Maps kept in memory (no path), or written to `mapsPath` (created or
 * truncated) as they are added: the writes run on libuv's threads while this
 * thread computes the next maps; writing them all at the end would make the
 * run wait, the longest while the disk's journal commits.
 * @example
 * const sink = createMapsSink(job.mapsPath);
 * for (const t of tensors) sink.add(quantizeFeatureMap(t.name, t.data, t.shape, 16));
 * const { maps, mapRanges } = await sink.finish();
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
