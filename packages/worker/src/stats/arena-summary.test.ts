import fc from 'fast-check';
import { layoutArena } from './activation-arena';
import type { LayerResult } from '@cnnvis/protocol';
import { summarizeSlot } from './arena-summary';
import { CHANNEL_FIELDS, unpackChannels } from './packed-channels';
import { simdKernels, type SimdKernels } from './simd-kernels';
import { summarizeTensor } from './tensor-summary';

/** Values that stress each path: zeros of both signs, NaN, infinities, a large common offset. */
const value = fc.oneof(
  { weight: 6, arbitrary: fc.float({ noDefaultInfinity: true, noNaN: true, min: -1e3, max: 1e3 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
  { weight: 1, arbitrary: fc.float({ noDefaultInfinity: true, noNaN: true, min: 1e6, max: 1e6 + 4 }) },
);

const kernels = simdKernels() as SimdKernels;

/** Equal, with sums allowed to differ in their last bits (the kernel adds in another order than the JS loops). */
function expectSameStats(actual: Record<string, number | null>, expected: Record<string, number | null>): void {
  for (const [k, v] of Object.entries(expected)) {
    const a = actual[k] ?? null;
    // + 0 on min and max: the kernel reports a zero as 0 where the JS loop keeps the first zero's sign.
    if (v === null || a === null) expect(a).toBe(v);
    else if (k === 'nan' || k === 'inf' || k === 'min' || k === 'max' || k === 'zeros') expect(a + 0).toBe(v + 0);
    else expect(Math.abs(a - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
  }
}

/** Two tensors in one arena, so a slot that writes past its own bytes shows in the other. */
function viaArena(tensors: Array<{ data: Float32Array; shape: number[] }>, maxChannels: number) {
  const layout = layoutArena(tensors.map((t, i) => ({ name: `t${i}`, shape: t.shape })), maxChannels);
  const buffer = kernels.reserve(layout.bytes) as ArrayBuffer;
  new Uint8Array(buffer, 0, layout.bytes).fill(0xee);
  layout.slots.forEach((s, i) => new Float32Array(buffer, s.floatsAt, s.length).set((tensors[i] as { data: Float32Array }).data));
  const summaries = layout.slots.map((s) => {
    const channelStats = new Float64Array(s.shape.length === 4 ? (s.shape[1] as number) * CHANNEL_FIELDS : 0);
    const { stats, map } = summarizeSlot(kernels, buffer, s, channelStats, 0);
    return { stats, map, channels: unpackChannels({ layers: [{} as LayerResult], channelCounts: Uint32Array.of(channelStats.length / CHANNEL_FIELDS), channelStats })[0]?.channels };
  });
  return { layout, summaries, buffer };
}

const plain = (a: Float32Array) => Array.from(a, (x) => x + 0);

describe('summarizeSlot (the SIMD kernel)', () => {
  it('has WebAssembly SIMD in Node, so the kernel is what runs', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it("gives the JS loops' statistics (summarizeTensor) and byte-identical feature maps, maps back to back in the arena", () => {
    const shapes = fc.oneof(
      fc.tuple(fc.constant(1), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).map((s) => [...s]),
      fc.tuple(fc.integer({ min: 2, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 })).map((s) => [...s]),
      fc.tuple(fc.constant(1), fc.integer({ min: 1, max: 70 })).map((s) => [...s]),
      fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 20 })).map((s) => [...s]),
    );
    const tensor = fc.tuple(shapes, fc.array(value, { minLength: 1, maxLength: 64 })).map(([shape, pool]) => ({
      shape,
      data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => pool[(i * 7) % pool.length] as number),
    }));
    fc.assert(
      fc.property(fc.array(tensor, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 4 }), (tensors, maxChannels) => {
        const { layout, summaries, buffer } = viaArena(tensors, maxChannels);
        const bytes = summaries.map((s) => Array.from(s.map.data));
        expect(bytes.flat()).toEqual(Array.from(new Uint8Array(buffer, layout.mapsAt, layout.mapsLength)));
        tensors.forEach(({ data, shape }, i) => {
          const got = summaries[i] as (typeof summaries)[number];
          const gotBytes = bytes[i] as number[];
          const want = summarizeTensor('t', data, shape, maxChannels);
          expectSameStats(got.stats, want.stats);
          expect(got.channels).toHaveLength(want.channels.length);
          got.channels?.forEach((c, k) => expectSameStats(c, want.channels[k] as typeof c));
          expect(got.map.shape).toEqual(want.map.shape);
          expect(plain(got.map.channelMin)).toEqual(plain(want.map.channelMin));
          expect(plain(got.map.channelMax)).toEqual(plain(want.map.channelMax));
          expect(gotBytes).toEqual(Array.from(want.map.data));
        });
      }),
      { numRuns: 300 },
    );
  });

  it('stays exact with a large common offset, over batch items', () => {
    const data = Float32Array.from({ length: 2 * 3 * 33 * 31 }, (_, i) => (i % 11 === 0 ? 0 : 1e6 + (i % 5)));
    const { summaries } = viaArena([{ data, shape: [2, 3, 33, 31] }], 3);
    const got = summaries[0] as (typeof summaries)[number];
    const want = summarizeTensor('t', data, [2, 3, 33, 31], 3);
    expectSameStats(got.stats, want.stats);
    got.channels?.forEach((c, k) => expectSameStats(c, want.channels[k] as typeof c));
  });

  it('quantises planes larger than one SIMD step exactly', () => {
    const data = Float32Array.from({ length: 3 * 33 * 31 }, (_, i) => (i % 11 === 0 ? 0 : Math.sin(i) * 50));
    data[40] = NaN; // channel 0 takes the careful path, the others the kernel's
    const { summaries } = viaArena([{ data, shape: [1, 3, 33, 31] }], 3);
    const got = Array.from((summaries[0] as (typeof summaries)[number]).map.data);
    expect(got).toEqual(Array.from(summarizeTensor('t', data, [1, 3, 33, 31], 3).map.data));
  });
});
