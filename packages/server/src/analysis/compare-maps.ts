/**
 * The per-layer numbers of a run comparison, from two stored feature maps (8-bit, each channel over
 * its own range: x = min_c + q·(max_c − min_c)/255): cosine, relative L2, mean |A − B|, and the
 * channels that changed most.
 * @module
 */
import type { ChannelChange } from '@cnnvis/protocol';

/** A stored map's bytes and their per-channel ranges. */
export interface QuantizedMap {
  /** [C, H, W], or [N] (one channel). */
  shape: readonly number[];
  channelMin: ArrayLike<number>;
  channelMax: ArrayLike<number>;
  data: Uint8Array;
}

export interface MapComparison {
  cosine: number | null;
  relL2: number | null;
  meanAbsDiff: number;
  channels: ChannelChange[];
}

/** ‖d‖/‖a‖ from squared norms; 0 when both are 0, null when only a's is. */
const ratio = (d2: number, a2: number) => (a2 === 0 ? (d2 === 0 ? 0 : null) : Math.sqrt(d2 / a2));

/** The channels and values per channel both maps hold, or why they cannot be compared. */
export function comparableSize(a: QuantizedMap, b: QuantizedMap): { channels: number; plane: number } | string {
  const plane = (s: readonly number[]) => (s.length === 3 ? (s[1] ?? 0) * (s[2] ?? 0) : (s[0] ?? 0));
  const channels = (s: readonly number[]) => (s.length === 3 ? (s[0] ?? 0) : 1);
  if (a.shape.length !== b.shape.length || plane(a.shape) !== plane(b.shape)) {
    return `stored maps [${a.shape.join(', ')}] and [${b.shape.join(', ')}] differ`;
  }
  return { channels: Math.min(channels(a.shape), channels(b.shape)), plane: plane(a.shape) };
}

/** Compares the first `channels` channels of two maps of `plane` values each. */
export function compareMaps(a: QuantizedMap, b: QuantizedMap, channels: number, plane: number, top: number): MapComparison {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  let abs = 0;
  const perChannel: Array<{ channel: number; abs: number; d2: number; a2: number }> = [];
  const stepA = new Float64Array(256);
  const stepB = new Float64Array(256);
  for (let c = 0; c < channels; c++) {
    const loA = a.channelMin[c] ?? 0;
    const loB = b.channelMin[c] ?? 0;
    const spanA = ((a.channelMax[c] ?? 0) - loA) / 255;
    const spanB = ((b.channelMax[c] ?? 0) - loB) / 255;
    // 256 values per channel: a table read is cheaper than a multiply-add per value.
    for (let q = 0; q < 256; q++) {
      stepA[q] = loA + q * spanA;
      stepB[q] = loB + q * spanB;
    }
    let cAbs = 0;
    let cD2 = 0;
    let cA2 = 0;
    let cB2 = 0;
    let cAB = 0;
    const at = c * plane;
    for (let i = at; i < at + plane; i++) {
      const x = stepA[a.data[i] as number] as number;
      const y = stepB[b.data[i] as number] as number;
      const d = x - y;
      cAbs += Math.abs(d);
      cD2 += d * d;
      cA2 += x * x;
      cB2 += y * y;
      cAB += x * y;
    }
    ab += cAB;
    aa += cA2;
    bb += cB2;
    abs += cAbs;
    perChannel.push({ channel: c, abs: cAbs, d2: cD2, a2: cA2 });
  }
  const d2 = perChannel.reduce((n, c) => n + c.d2, 0);
  const n = channels * plane;
  let cosine: number | null = null;
  if (aa === 0 || bb === 0) cosine = aa === bb ? 1 : null;
  else cosine = Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb)));
  const changed = perChannel
    .sort((x, y) => y.abs - x.abs || x.channel - y.channel)
    .slice(0, top)
    .map((c) => ({ channel: c.channel, meanAbsDiff: plane === 0 ? 0 : c.abs / plane, relL2: ratio(c.d2, c.a2) }));
  return { cosine, relL2: ratio(d2, aa), meanAbsDiff: n === 0 ? 0 : abs / n, channels: changed };
}
