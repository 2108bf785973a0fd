/**
 * What a kept run holds beside its maps goes at the end of the run's maps file (the worker's
 * format: appendToMapsFile, readMapsFileRange), and the store records only where: each map's
 * per-channel value range (two float32 per channel: 1 MB a DenseNet-121 run) and the input as its
 * request gave it (600 KB for a 3×224×224 float input).
 * @module
 */
import { appendToMapsFile, readMapsFileRange } from '@cnnvis/worker/pool';
import type { RunInputRef, StoredMap, StoredMapIndex, StoredRunInput } from './analysis-store';

/** The `run_inputs` row's columns (PostgreSQL's BIGINT comes back as text). */
export type RunInputRow = { encoding: RunInputRef['encoding']; shape: string | null; at: number | string; length: number | string };
/** The `run_map_ranges` row's columns. */
export type MapIndexRow = { tensor: string; shape: string; channels: number; ranges_at: number | string; offset: number | string; length: number | string };

/** A `run_inputs` row, on either store, as a reference. */
export const inputRefOf = (row: RunInputRow): RunInputRef => ({
  encoding: row.encoding, shape: row.shape === null ? null : (JSON.parse(row.shape) as number[]), at: Number(row.at), length: Number(row.length),
});

/** A `run_map_ranges` row, on either store, as the map's index. */
export const mapIndexOf = (row: MapIndexRow): StoredMapIndex => ({
  tensor: row.tensor, shape: JSON.parse(row.shape) as number[], channels: row.channels, rangesAt: Number(row.ranges_at), offset: Number(row.offset), length: Number(row.length),
});

const bytesOf = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Appends the maps' ranges and the input to the maps file at `path` (made if missing) and says
 * where they lie.
 */
export function appendRunTail(path: string, ranges: readonly StoredMap[], input: StoredRunInput): { maps: StoredMapIndex[]; input: RunInputRef } {
  const parts = ranges.flatMap((m) => [bytesOf(m.channelMin), bytesOf(m.channelMax)]);
  let at = appendToMapsFile(path, [...parts, input.data]);
  const maps = ranges.map(({ channelMin, channelMax, ...m }) => {
    const entry = { ...m, channels: channelMin.length, rangesAt: at };
    at += channelMin.byteLength + channelMax.byteLength;
    return entry;
  });
  const [encoding, shape] = 'encoding' in input ? [input.encoding, null] : ['float32' as const, [...input.shape]];
  return { maps, input: { encoding, shape, at, length: input.data.byteLength } };
}

/** The map `index` names, its ranges read from the maps file at `path`. */
export function readMapRanges(path: string, { channels, rangesAt, ...map }: StoredMapIndex): StoredMap {
  const floats = new Float32Array(readMapsFileRange(path, rangesAt, channels * 8, `the ranges of tensor '${map.tensor}':`).buffer);
  return { ...map, channelMin: floats.subarray(0, channels), channelMax: floats.subarray(channels) };
}

/** The input `ref` names, read from the maps file at `path`. */
export function readRunInput(path: string, ref: RunInputRef): StoredRunInput {
  const data = readMapsFileRange(path, ref.at, ref.length, "the run's input:");
  return ref.encoding === 'float32' ? { dtype: 'float32', shape: ref.shape ?? [], data } : { encoding: ref.encoding, data };
}
