import fc from 'fast-check';
import { tensorStats } from './tensor-stats';

/** Two-pass reference in float64 over the finite values. */
function naive(values: number[]) {
  const finite = values.filter(Number.isFinite);
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const std = Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / finite.length);
  return {
    min: finite.length ? Math.min(...finite) : null,
    max: finite.length ? Math.max(...finite) : null,
    mean: finite.length ? mean : null,
    std: finite.length ? std : null,
    zeros: values.filter((v) => v === 0).length / values.length,
    nan: values.filter(Number.isNaN).length,
    inf: values.filter((v) => v === Infinity || v === -Infinity).length,
  };
}

function expectStats(actual: ReturnType<typeof tensorStats>['stats'] | undefined, values: number[]): void {
  const ref = naive(values);
  expect(actual?.nan).toBe(ref.nan);
  expect(actual?.inf).toBe(ref.inf);
  expect(actual?.zeros).toBeCloseTo(ref.zeros, 12);
  for (const k of ['min', 'max', 'mean', 'std'] as const) {
    if (ref[k] === null) expect(actual?.[k]).toBeNull();
    else expect(Math.abs((actual?.[k] as number) - (ref[k] as number))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref[k] as number)) + 1e-9);
  }
}

describe('tensorStats', () => {
  it('counts NaN and Inf apart and keeps them out of min, max, mean and std', () => {
    const data = Float32Array.of(0, 1, NaN, 3, Infinity, -Infinity, 0, 4);
    const { stats, channels } = tensorStats(data, [8]);
    expect(stats).toEqual({ min: 0, max: 4, mean: 1.6, std: expect.closeTo(Math.sqrt(2.64), 12), zeros: 0.25, nan: 1, inf: 2 });
    expect(channels).toEqual([]);
  });

  it('gives nulls when no value is finite', () => {
    expect(tensorStats(Float32Array.of(NaN, Infinity), [2]).stats).toEqual({ min: null, max: null, mean: null, std: null, zeros: 0, nan: 1, inf: 1 });
  });

  it('stays accurate for values with a large common offset', () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => 1e6 + (i % 2));
    expect(tensorStats(data, [1000]).stats.std).toBeCloseTo(0.5, 9);
  });

  it('computes per-channel statistics over every batch item of an NCHW tensor, and layer statistics over all', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.oneof(fc.float({ noDefaultInfinity: true, noNaN: true, min: -1e3, max: 1e3 }), fc.constant(0), fc.constant(NaN)), { minLength: 36, maxLength: 36 }),
        (n, c, h, w, pool) => {
          const data = Float32Array.from({ length: n * c * h * w }, (_, i) => pool[i % pool.length] as number);
          const { stats, channels } = tensorStats(data, [n, c, h, w]);
          expectStats(stats, Array.from(data));
          expect(channels).toHaveLength(c);
          for (let ch = 0; ch < c; ch++) {
            const values: number[] = [];
            for (let b = 0; b < n; b++) values.push(...data.subarray((b * c + ch) * h * w, (b * c + ch + 1) * h * w));
            expectStats(channels[ch], values);
          }
        },
      ),
    );
  });
});
