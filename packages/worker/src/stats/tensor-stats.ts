/**
 * Statistics of a layer's output, per layer and per channel (axis 1 of NCHW): min, max, mean
 * and population std over the finite values, NaN and Inf counted, zeros as a fraction.
 * @module
 */
import type { TensorStats } from '@cnnvis/protocol';
import { CHANNEL_FIELDS, statsAt } from './packed-channels';

/** Running moments of one set of values: count, mean and sum of squared deviations (Chan et al.). */
export interface Moments {
  total: number;
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  zeros: number;
  nan: number;
  inf: number;
}

const emptyMoments = (): Moments => ({
  total: 0, n: 0, mean: 0, m2: 0, min: Infinity, max: -Infinity, zeros: 0, nan: 0, inf: 0,
});

/**
 * Adds `len` values of `data` from `start` to `m`, assuming them finite; a NaN or infinity
 * poisons the sums and the careful pass runs. Sums are shifted by the first value for accuracy;
 * zeros are counted on `bits` (data's Int32 view), which beats a mispredicted branch.
 */
function accumulate(m: Moments, data: Float32Array, bits: Int32Array, start: number, len: number): void {
  if (len === 0) return;
  const shift = data[start] as number;
  let s1 = 0, s2 = 0, t1 = 0, t2 = 0, zeros = 0;
  let min = Infinity, max = -Infinity;
  const end = start + len;
  const pairs = start + (len & ~1);
  let i = start;
  for (; i < pairs; i += 2) {
    const x = data[i] as number;
    const y = data[i + 1] as number;
    const dx = x - shift;
    const dy = y - shift;
    s1 += dx;
    s2 += dx * dx;
    t1 += dy;
    t2 += dy * dy;
    zeros += +(((bits[i] as number) << 1) === 0) + +(((bits[i + 1] as number) << 1) === 0);
    if (x < min) min = x;
    if (x > max) max = x;
    if (y < min) min = y;
    if (y > max) max = y;
  }
  for (; i < end; i++) {
    const x = data[i] as number;
    const dx = x - shift;
    s1 += dx;
    s2 += dx * dx;
    zeros += +(((bits[i] as number) << 1) === 0);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  s1 += t1;
  s2 += t2;
  if (!Number.isFinite(s1 + s2) || !Number.isFinite(max - min)) return accumulateCarefully(m, data, start, len);
  m.total += len;
  m.zeros += zeros;
  merge(m, { total: 0, n: len, mean: shift + s1 / len, m2: Math.max(0, s2 - (s1 * s1) / len), min, max, zeros: 0, nan: 0, inf: 0 });
}

/** As {@link accumulate}, for values that include NaN or infinities: those are counted, not summed. */
function accumulateCarefully(m: Moments, data: Float32Array, start: number, len: number): void {
  let n = 0, s1 = 0, s2 = 0, zeros = 0, nan = 0, inf = 0;
  let min = Infinity, max = -Infinity;
  let shift = NaN;
  for (let i = start, end = start + len; i < end; i++) {
    const x = data[i] as number;
    if (x !== x) { nan++; continue; }
    if (x === Infinity || x === -Infinity) { inf++; continue; }
    if (x === 0) zeros++;
    if (shift !== shift) shift = x;
    const d = x - shift;
    s1 += d;
    s2 += d * d;
    n++;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  m.total += len;
  m.zeros += zeros;
  m.nan += nan;
  m.inf += inf;
  if (n === 0) return;
  merge(m, { total: 0, n, mean: shift + s1 / n, m2: Math.max(0, s2 - (s1 * s1) / n), min, max, zeros: 0, nan: 0, inf: 0 });
}

/** Folds b's finite-value moments into a (counts of zeros, NaN, Inf and total are the caller's). */
function merge(a: Moments, b: Moments): void {
  if (b.n === 0) return;
  const n = a.n + b.n;
  const delta = b.mean - a.mean;
  a.m2 += b.m2 + (delta * delta * a.n * b.n) / n;
  a.mean += (delta * b.n) / n;
  a.n = n;
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
}

/** Folds all of b into a: its moments and its counts. */
export function mergeAll(a: Moments, b: Moments): void {
  merge(a, b);
  a.total += b.total;
  a.zeros += b.zeros;
  a.nan += b.nan;
  a.inf += b.inf;
}

/** The same memory as 32-bit integers (a Float32Array is always 4-byte aligned). */
function int32View(data: Float32Array): Int32Array {
  return new Int32Array(data.buffer, data.byteOffset, data.length);
}

function toStats(m: Moments): TensorStats {
  const finite = m.n > 0;
  return {
    min: finite ? m.min : null,
    max: finite ? m.max : null,
    mean: finite ? m.mean : null,
    std: finite ? Math.sqrt(m.m2 / m.n) : null,
    zeros: m.total > 0 ? m.zeros / m.total : 0,
    nan: m.nan,
    inf: m.inf,
  };
}

/** As {@link accumulate}, from the SIMD kernel's raw moments of the plane at `sums[k…k+4]`. */
function addPlaneSums(m: Moments, data: Float32Array, start: number, len: number, sums: Float64Array, k: number): void {
  if (len === 0) return;
  const s1 = sums[k] as number;
  const s2 = sums[k + 1] as number;
  // + 0 turns a -0 (SIMD min/max order zeros by sign) into the 0 the JS pass reports.
  const min = (sums[k + 2] as number) + 0;
  const max = (sums[k + 3] as number) + 0;
  if (!Number.isFinite(s1 + s2) || !Number.isFinite(max - min)) return accumulateCarefully(m, data, start, len);
  m.total += len;
  m.zeros += (sums[k + 4] as number) | 0;
  merge(m, { total: 0, n: len, mean: (data[start] as number) + s1 / len, m2: Math.max(0, s2 - (s1 * s1) / len), min, max, zeros: 0, nan: 0, inf: 0 });
}

/** Numbers per plane in the SIMD kernel's raw moments. */
const SUM_FIELDS = 5;

/** How {@link tensorStats} splits a tensor into planes: a 4-D tensor's H×W planes, else one. */
export function statsPlanes(shape: readonly number[], length: number): { plane: number; count: number } {
  if (shape.length !== 4) return { plane: length, count: 1 };
  const [n = 0, c = 0, h = 0, w = 0] = shape;
  return { plane: h * w, count: n * c };
}

/**
 * Layer and per-channel statistics of a tensor (channels of 4-D tensors only); `planeSums`, the
 * SIMD kernel's raw moments of the {@link statsPlanes}, stand in for the JS fast pass.
 */
export function tensorStats(data: Float32Array, shape: readonly number[], planeSums?: Float64Array): { stats: TensorStats; channels: TensorStats[] } {
  const count = shape.length === 4 ? (shape[1] as number) : 0;
  const packed = new Float64Array(count * CHANNEL_FIELDS);
  const stats = tensorStatsInto(data, shape, packed, 0, planeSums);
  return { stats, channels: Array.from({ length: count }, (_, c) => statsAt(packed, c * CHANNEL_FIELDS)) };
}

/** As {@link tensorStats}, the per-channel statistics written packed to `out` from `at`. */
export function tensorStatsInto(data: Float32Array, shape: readonly number[], out: Float64Array, at: number, planeSums?: Float64Array): TensorStats {
  const bits = planeSums ? null : int32View(data);
  const add = (m: Moments, index: number, start: number, len: number) => {
    if (planeSums) addPlaneSums(m, data, start, len, planeSums, index * SUM_FIELDS);
    else accumulate(m, data, bits as Int32Array, start, len);
  };
  if (shape.length !== 4) {
    const m = emptyMoments();
    add(m, 0, 0, data.length);
    return toStats(m);
  }
  const [n = 0, c = 0, h = 0, w = 0] = shape;
  const plane = h * w;
  return foldChannels(n, c, (m, p) => add(m, p, p * plane, plane), out, at);
}

/**
 * The statistics of an [n, c, …] tensor from `addPlane` (which adds plane `p`, `b·c + ch`, to
 * `m`): channel by channel, each over the batch in order (the same sums in the same order as
 * batch-outer loops give), the channels folded into the layer in channel order. Each channel's
 * statistics go packed to `out` from `at`, unless `out` is null.
 */
export function foldChannels(n: number, c: number, addPlane: (m: Moments, p: number) => void, out: Float64Array | null, at: number): TensorStats {
  const layer = emptyMoments();
  for (let ch = 0; ch < c; ch++) {
    const m = emptyMoments();
    for (let b = 0; b < n; b++) addPlane(m, b * c + ch);
    if (out) writeStats(m, out, at + ch * CHANNEL_FIELDS);
    mergeAll(layer, m);
  }
  return toStats(layer);
}

/** {@link toStats}, packed: null as NaN. */
function writeStats(m: Moments, out: Float64Array, k: number): void {
  const finite = m.n > 0;
  out[k] = finite ? m.min : NaN;
  out[k + 1] = finite ? m.max : NaN;
  out[k + 2] = finite ? m.mean : NaN;
  out[k + 3] = finite ? Math.sqrt(m.m2 / m.n) : NaN;
  out[k + 4] = m.total > 0 ? m.zeros / m.total : 0;
  out[k + 5] = m.nan;
  out[k + 6] = m.inf;
}
