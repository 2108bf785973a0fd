/**
 * An {@link AnalyzeOutput} as it crosses from a worker child to the pool.
 * Per-channel statistics are thousands of small objects (11,200 for a
 * ResNet-18), and V8's serializer spends far longer on them than on
 * megabytes of typed arrays (about 30 ms against 3 ms on each side
 * together), so they travel packed (see packed-channels.ts) and stay
 * packed in the parent: the server stores them so, and only a caller that
 * wants them as objects unpacks them. With a maps file, even packed they
 * skip the pipe: the child writes them after the maps, and there they stay
 * (the parent learns where; see {@link FileChannels}).
 * @module
 */
import { statSync } from 'node:fs';
import type { AnalyzeOutput } from '../analyze/analyze-types';
import { channelStatsBytes, packChannels, type PackedChannels } from '../stats/packed-channels';
import { WorkerError } from '../worker-error';

/** `channelStats` is empty where `channelStatsAt` says where in the job's maps file it lies. */
export type WireOutput = Omit<AnalyzeOutput, 'layers' | 'packedChannels' | 'channelsInFile'> & PackedChannels;

/**
 * @example
 * process.send({ type: 'result', id, output: packOutput(await analyzeModel(job)) });
 */
export function packOutput(out: AnalyzeOutput): WireOutput {
  const { packedChannels, ...rest } = out;
  const packed = packedChannels ? { ...rest, ...packedChannels } : { ...rest, ...packChannels(out.layers) };
  // In the maps file already, where they stay: the parent learns where.
  return out.channelStatsAt === undefined ? packed : { ...packed, channelStats: new Float64Array(0) };
}

/**
 * The output as the pool hands it back: `layers` without channels, their
 * statistics in `packedChannels`, or, where the child left them in the job's
 * maps file, in `channelsInFile` (the file's size is checked; its bytes are
 * read only by whoever wants them).
 * @example
 * const out = fromWire(message.output, job.mapsPath);
 * const arrays = out.channelsInFile ? readChannelStats(job.mapsPath, out.channelsInFile) : out.packedChannels;
 */
export function fromWire(wire: WireOutput, mapsPath?: string): AnalyzeOutput {
  const { channelCounts, channelStats, channelStatsAt, ...rest } = wire;
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
