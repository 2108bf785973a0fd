/**
 * An {@link AnalyzeOutput} as it crosses from a worker child to the pool.
 * Per-channel statistics are thousands of small objects (11,200 for a
 * ResNet-18), and V8's serializer spends far longer on them than on the
 * megabytes of feature maps (about 30 ms against 3 ms on each side
 * together), so they travel as one Float64Array of numbers instead and
 * become objects again in the parent.
 * @module
 */
import type { LayerResult, TensorStats } from '@cnnvis/protocol';
import type { AnalyzeOutput } from '../analyze/analyze-types';

/** Numbers per channel: min, max, mean, std, zeros, nan, inf. */
const FIELDS = 7;

export type WireOutput = Omit<AnalyzeOutput, 'layers'> & {
  /** The layers with empty `channels`. */
  layers: LayerResult[];
  /** How many channels each layer has, in layer order. */
  channelCounts: Uint32Array;
  /** FIELDS numbers per channel; NaN stands for null (a real statistic is finite). */
  channelStats: Float64Array;
};

/**
 * @example
 * process.send({ type: 'result', id, output: packOutput(await analyzeModel(job)) });
 */
export function packOutput(out: AnalyzeOutput): WireOutput {
  const channelCounts = Uint32Array.from(out.layers, (l) => l.channels.length);
  const channelStats = new Float64Array(channelCounts.reduce((a, b) => a + b, 0) * FIELDS);
  let k = 0;
  for (const layer of out.layers) {
    for (const c of layer.channels) {
      channelStats[k++] = c.min ?? NaN;
      channelStats[k++] = c.max ?? NaN;
      channelStats[k++] = c.mean ?? NaN;
      channelStats[k++] = c.std ?? NaN;
      channelStats[k++] = c.zeros;
      channelStats[k++] = c.nan;
      channelStats[k++] = c.inf;
    }
  }
  const layers = out.layers.map((l) => ({ ...l, channels: [] }));
  return { ...out, layers, channelCounts, channelStats };
}

/**
 * The inverse of {@link packOutput}.
 * @example
 * const out = unpackOutput(message.output);
 */
export function unpackOutput(wire: WireOutput): AnalyzeOutput {
  const { channelCounts, channelStats: s, layers, ...rest } = wire;
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  let k = 0;
  const full = layers.map((layer, i) => {
    const channels: TensorStats[] = new Array<TensorStats>(channelCounts[i] ?? 0);
    for (let c = 0; c < channels.length; c++, k += FIELDS) {
      channels[c] = {
        min: orNull(s[k] as number),
        max: orNull(s[k + 1] as number),
        mean: orNull(s[k + 2] as number),
        std: orNull(s[k + 3] as number),
        zeros: s[k + 4] as number,
        nan: s[k + 5] as number,
        inf: s[k + 6] as number,
      };
    }
    return { ...layer, channels };
  });
  return { ...rest, layers: full };
}
