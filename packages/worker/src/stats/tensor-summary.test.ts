import fc from 'fast-check';
import { quantizeFeatureMap } from './feature-map';
import { simdKernels } from './simd-kernels';
import { tensorStats } from './tensor-stats';
import { summarizeTensor } from './tensor-summary';

/** Values that stress each path: zeros of both signs, NaN, infinities, a large common offset. */
const value = fc.oneof(
  { weight: 6, arbitrary: fc.float({ noDefaultInfinity: true, noNaN: true, min: -1e3, max: 1e3 }) },
  { weight: 2, arbitrary: fc.constantFrom(0, -0) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
  { weight: 1, arbitrary: fc.float({ noDefaultInfinity: true, noNaN: true, min: 1e6, max: 1e6 + 4 }) },
);

/** The JS loops' answer: the reference the SIMD kernels must match. */
function reference(data: Float32Array, shape: number[], maxChannels: number) {
  const { stats, channels } = tensorStats(data, shape);
  const ranges = shape.length === 4 && shape[0] === 1 ? channels.map((c): [number, number] => [c.min ?? 0, c.max ?? 0]) : undefined;
  return { stats, channels, map: quantizeFeatureMap('t', data, shape, maxChannels, { ranges }) };
}

/** Equal, with sums allowed to differ in their last bits (the kernels add in another order). */
function expectSameStats(actual: Record<string, number | null>, expected: Record<string, number | null>): void {
  for (const [k, v] of Object.entries(expected)) {
    const a = actual[k] ?? null;
    // + 0 on min and max: the kernels report a zero as 0 where the JS loop keeps the first zero's sign.
    if (v === null || a === null) expect(a).toBe(v);
    else if (k === 'nan' || k === 'inf' || k === 'min' || k === 'max') expect(a + 0).toBe(v + 0);
    else expect(Math.abs((a as number) - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
  }
}

describe('summarizeTensor (SIMD kernels)', () => {
  it('has WebAssembly SIMD in Node, so the kernels are what runs', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it('gives the JS loops\' statistics and byte-identical feature maps, for every rank and value', () => {
    const shapes = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })).map((s) => [...s]),
      fc.tuple(fc.constant(1), fc.integer({ min: 1, max: 70 })).map((s) => [...s]),
      fc.tuple(fc.integer({ min: 1, max: 70 })).map((s) => [...s]),
    );
    fc.assert(
      fc.property(shapes, fc.array(value, { minLength: 1, maxLength: 64 }), fc.integer({ min: 1, max: 4 }), (shape, pool, maxChannels) => {
        const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => pool[(i * 7) % pool.length] as number);
        const got = summarizeTensor('t', data, shape, maxChannels);
        const want = reference(data, shape, maxChannels);
        expectSameStats(got.stats, want.stats);
        expect(got.channels).toHaveLength(want.channels.length);
        got.channels.forEach((c, i) => expectSameStats(c, want.channels[i] as typeof c));
        expect(got.map.shape).toEqual(want.map.shape);
        const plain = (a: Float32Array) => Array.from(a, (x) => x + 0);
        expect(plain(got.map.channelMin)).toEqual(plain(want.map.channelMin));
        expect(plain(got.map.channelMax)).toEqual(plain(want.map.channelMax));
        expect(Array.from(got.map.data)).toEqual(Array.from(want.map.data));
      }),
      { numRuns: 300 },
    );
  });

  it('stays exact on planes larger than one SIMD step and with a large common offset', () => {
    const data = Float32Array.from({ length: 2 * 3 * 33 * 31 }, (_, i) => (i % 11 === 0 ? 0 : 1e6 + (i % 5)));
    const got = summarizeTensor('t', data, [2, 3, 33, 31], 3);
    const want = reference(data, [2, 3, 33, 31], 3);
    expectSameStats(got.stats, want.stats);
    got.channels.forEach((c, i) => expectSameStats(c, want.channels[i] as typeof c));
  });
});
