/**
 * An {@link AnalyzeOutput} as it crosses from a worker child to the pool.
 * Per-channel statistics are thousands of small objects (11,200 for a
 * ResNet-18), and V8's serializer spends far longer on them than on
 * megabytes of typed arrays (about 30 ms against 3 ms on each side
 * together), so they travel packed (see packed-channels.ts) and stay
 * packed in the parent: the server stores them so, and only a caller that
 * wants them as objects unpacks them. With a maps file, even packed they
 * skip the pipe: the child writes them after the maps, the parent reads them
 * back and cuts the file to the maps again.
 * @module
 */
import { closeSync, openSync, readSync, truncateSync } from 'node:fs';
import type { AnalyzeOutput } from '../analyze/analyze-types';
import { CHANNEL_FIELDS, packChannels, type PackedChannels } from '../stats/packed-channels';
import { WorkerError } from '../worker-error';

/** `channelStats` is empty where `channelStatsAt` says where in the job's maps file it lies. */
export type WireOutput = Omit<AnalyzeOutput, 'layers' | 'packedChannels'> & PackedChannels;

/**
 * @example
 * process.send({ type: 'result', id, output: packOutput(await analyzeModel(job)) });
 */
export function packOutput(out: AnalyzeOutput): WireOutput {
  const { packedChannels, ...rest } = out;
  const packed = packedChannels ? { ...rest, ...packedChannels } : { ...rest, ...packChannels(out.layers) };
  // In the maps file already: the parent reads them from there.
  return out.channelStatsAt === undefined ? packed : { ...packed, channelStats: new Float64Array(0) };
}

/**
 * The output as the pool hands it back: `layers` without channels, their
 * statistics in `packedChannels`, read from `mapsPath` where the child left
 * them there (the file is then cut back to the maps).
 * @example
 * const out = fromWire(message.output, job.mapsPath);
 * const layers = unpackChannels({ layers: out.layers, ...out.packedChannels });
 */
export function fromWire(wire: WireOutput, mapsPath?: string): AnalyzeOutput {
  const { channelCounts, channelStats, channelStatsAt, ...rest } = wire;
  if (channelStatsAt === undefined) return { ...rest, packedChannels: { channelCounts, channelStats } };
  if (mapsPath === undefined) throw new WorkerError('INTERNAL', 'the worker left the statistics in a maps file, but the job names none');
  const count = channelCounts.reduce((a, b) => a + b, 0) * CHANNEL_FIELDS;
  return { ...rest, packedChannels: { channelCounts, channelStats: readStats(mapsPath, channelStatsAt, count) } };
}

function readStats(path: string, at: number, count: number): Float64Array {
  const stats = new Float64Array(count);
  try {
    const fd = openSync(path, 'r+');
    try {
      for (let done = 0; done < stats.byteLength; ) {
        const n = readSync(fd, stats, done, stats.byteLength - done, at + done);
        if (n === 0) throw new Error(`the file ends before the statistics' ${stats.byteLength} bytes`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    truncateSync(path, at);
  } catch (err) {
    throw new WorkerError('INTERNAL', `could not read the statistics back from ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return stats;
}
