/**
 * An {@link AnalyzeOutput} as it crosses from a worker child to the pool.
 * Per-channel statistics are thousands of small objects (11,200 for a
 * ResNet-18), and V8's serializer spends far longer on them than on
 * megabytes of typed arrays (about 30 ms against 3 ms on each side
 * together), so they travel packed (see packed-channels.ts) and become
 * objects again in the parent.
 * @module
 */
import type { AnalyzeOutput } from '../analyze/analyze-types';
import { packChannels, unpackChannels, type PackedChannels } from '../stats/packed-channels';

export type WireOutput = Omit<AnalyzeOutput, 'layers'> & PackedChannels;

/**
 * @example
 * process.send({ type: 'result', id, output: packOutput(await analyzeModel(job)) });
 */
export function packOutput(out: AnalyzeOutput): WireOutput {
  return { ...out, ...packChannels(out.layers) };
}

/**
 * The inverse of {@link packOutput}.
 * @example
 * const out = unpackOutput(message.output);
 */
export function unpackOutput(wire: WireOutput): AnalyzeOutput {
  const { channelCounts, channelStats, layers, ...rest } = wire;
  return { ...rest, layers: unpackChannels({ layers, channelCounts, channelStats }) };
}
