/**
 * An {@link AnalyzeOutput} as it crosses from a worker child to the pool. Per-channel statistics
 * travel packed (V8's serializer is slow on many small objects), or stay in the maps file.
 * @module
 */
import { statSync } from 'node:fs';
import type { LayerGraph } from '@cnnvis/protocol';
import { LRUCache } from 'lru-cache';
import type { AnalyzeOutput, FeatureMapRange } from '../analyze/analyze-types';
import { channelStatsBytes, packChannels, type PackedChannels } from '../stats/packed-channels';
import { WorkerError } from '../worker-error';

/** A map range on the wire: its channels' bounds travel packed in the output's `rangeBounds`. */
type WireRange = Omit<FeatureMapRange, 'channelMin' | 'channelMax'>;

/**
 * `channelStats` is empty where `channelStatsAt` places it in the maps file; `graph` is null
 * where the child sent it last time (see {@link SentGraphs}).
 */
export type WireOutput = Omit<AnalyzeOutput, 'layers' | 'packedChannels' | 'channelsInFile' | 'graph' | 'mapRanges'> &
  PackedChannels & {
    graph: LayerGraph | null;
    mapRanges?: WireRange[];
    /** Range by range, its `channelMin` then its `channelMax`: `boundCounts[i]` values each. */
    rangeBounds?: Float32Array;
    boundCounts?: Uint32Array;
  };

/**
 * The last graph a child sent for each model, kept alike on both sides of its pipe (set in the
 * same order, so they evict alike): a run whose graph is the one sent last time sends none.
 */
export type SentGraphs = LRUCache<string, LayerGraph>;

export const createSentGraphs = (): SentGraphs => new LRUCache({ max: 8 });

/** `sameGraph`: the parent has this output's graph already (see {@link SentGraphs}). */
export function packOutput(out: AnalyzeOutput, sameGraph = false): WireOutput {
  const { packedChannels, graph, mapRanges, ...rest } = out;
  const packed = packedChannels ? { ...rest, ...packedChannels } : { ...rest, ...packChannels(out.layers) };
  // In the maps file already, where they stay: the parent learns where.
  const wire: WireOutput = { ...packed, graph: sameGraph ? null : graph, ...(out.channelStatsAt === undefined ? {} : { channelStats: new Float64Array(0) }) };
  if (mapRanges === undefined) return wire;
  const boundCounts = Uint32Array.from(mapRanges, (r) => r.channelMin.length);
  const rangeBounds = new Float32Array(mapRanges.reduce((n, r) => n + r.channelMin.length + r.channelMax.length, 0));
  let at = 0;
  const ranges = mapRanges.map(({ channelMin, channelMax, ...range }) => {
    if (channelMax.length !== channelMin.length) throw new WorkerError('INTERNAL', `map ${range.tensor}: ${channelMin.length} minima but ${channelMax.length} maxima`);
    rangeBounds.set(channelMin, at);
    rangeBounds.set(channelMax, at + channelMin.length);
    at += 2 * channelMin.length;
    return range;
  });
  return { ...wire, mapRanges: ranges, rangeBounds, boundCounts };
}

/** The ranges of {@link packOutput} with their bounds again (views into `rangeBounds`). */
function unpackRanges(ranges: WireRange[], rangeBounds: Float32Array, boundCounts: Uint32Array): FeatureMapRange[] {
  let at = 0;
  return ranges.map((range, i) => {
    const n = boundCounts[i] ?? 0;
    const channelMin = rangeBounds.subarray(at, at + n);
    const channelMax = rangeBounds.subarray(at + n, at + 2 * n);
    at += 2 * n;
    return { ...range, channelMin, channelMax };
  });
}

/**
 * The output as the pool hands it back: statistics in `packedChannels`, or in `channelsInFile`
 * where the child left them in the maps file (whose size is checked).
 */
export function fromWire(wire: WireOutput, mapsPath?: string, lastGraph?: LayerGraph): AnalyzeOutput {
  const { channelCounts, channelStats, channelStatsAt, graph: sent, mapRanges: ranges, rangeBounds, boundCounts, ...others } = wire;
  const graph = sent ?? lastGraph;
  if (graph === undefined) throw new WorkerError('INTERNAL', "the worker sent no graph, saying it had sent this model's before, but none is known");
  const mapRanges = ranges === undefined ? undefined : unpackRanges(ranges, rangeBounds ?? new Float32Array(0), boundCounts ?? new Uint32Array(0));
  const rest = { ...others, graph, ...(mapRanges === undefined ? {} : { mapRanges }) };
  if (channelStatsAt === undefined) return { ...rest, packedChannels: { channelCounts, channelStats } };
  if (mapsPath === undefined) throw new WorkerError('INTERNAL', 'the worker left the statistics in a maps file, but the job names none');
  const end = channelStatsAt + channelStatsBytes(channelCounts);
  let size: number;
  try {
    size = statSync(mapsPath).size;
  } catch (err) {
    throw new WorkerError('INTERNAL', `the statistics are not in ${mapsPath}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (size < end) throw new WorkerError('INTERNAL', `the statistics are not in ${mapsPath}: it ends at byte ${size}, before theirs end at ${end}`);
  return { ...rest, channelsInFile: { channelCounts, statsAt: channelStatsAt } };
}
