/**
 * An {@link AnalyzeOutput} as it crosses from a worker child to the pool.
 * Per-channel statistics are thousands of small objects (11,200 for a
 * ResNet-18), and V8's serializer spends far longer on them than on
 * megabytes of typed arrays (about 30 ms against 3 ms on each side
 * together), so they travel packed (see packed-channels.ts) and stay
 * packed in the parent: the server stores them so, and only a caller that
 * wants them as objects unpacks them.
 * @module
 */
import type { AnalyzeOutput } from '../analyze/analyze-types';
import { packChannels, type PackedChannels } from '../stats/packed-channels';

export type WireOutput = Omit<AnalyzeOutput, 'layers'> & PackedChannels;

/**
 * @example
 * process.send({ type: 'result', id, output: packOutput(await analyzeModel(job)) });
 */
export function packOutput(out: AnalyzeOutput): WireOutput {
  const { packedChannels, ...rest } = out;
  return packedChannels ? { ...rest, ...packedChannels } : { ...rest, ...packChannels(out.layers) };
}

/**
 * The output as the pool hands it back: `layers` without channels, their
 * statistics in `packedChannels`.
 * @example
 * const out = fromWire(message.output);
 * const layers = unpackChannels({ layers: out.layers, ...out.packedChannels });
 */
export function fromWire(wire: WireOutput): AnalyzeOutput {
  const { channelCounts, channelStats, ...rest } = wire;
  return { ...rest, packedChannels: { channelCounts, channelStats } };
}
