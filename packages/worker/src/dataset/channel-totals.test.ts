import { simdKernels } from '../stats/simd-kernels';
import { accumulate, createTotals, finishTotals } from './channel-totals';

/** Two batches of 3 inputs × 4 channels × 5×3, values around an offset, with a zero plane, a NaN and an Inf. */
function batch(seed: number): Float32Array {
  let s = seed;
  const data = Float32Array.from({ length: 3 * 4 * 15 }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return 1000 + (s / 2 ** 31 - 0.5);
  });
  data.fill(0, 15, 30); // input 0, channel 1
  data[2 * 60 + 2 * 15 + 4] = NaN;
  data[2 * 60 + 3 * 15] = Infinity;
  return data;
}

describe('channel totals', () => {
  it('gives the same statistics through the SIMD kernel as through the JS loop', () => {
    const kernels = simdKernels();
    expect(kernels).not.toBeNull();
    const [a, b] = [createTotals({ node: 'n', op: 'Conv', tensor: 't' }, [4, 5, 3], 2, undefined), createTotals({ node: 'n', op: 'Conv', tensor: 't' }, [4, 5, 3], 2, undefined)];
    for (const [i, seed] of [7, 11].entries()) {
      accumulate(a, batch(seed), 3, i * 3, kernels);
      accumulate(b, batch(seed), 3, i * 3, null);
    }
    const [fa, fb] = [finishTotals(a), finishTotals(b)];
    for (const k of ['min', 'max', 'zeros', 'dead', 'nan', 'inf'] as const) expect(Array.from(fa[k])).toEqual(Array.from(fb[k]));
    for (const k of ['mean', 'std'] as const) Array.from(fb[k]).forEach((v, c) => expect(fa[k][c]).toBeCloseTo(v, 6));
    expect(Array.from(fa.top)).toEqual(Array.from(fb.top));
    expect(fa.dead[1]).toBeCloseTo(2 / 6, 12); // input 0 of each batch
    expect(Array.from(fa.nan)).toEqual([0, 0, 2, 0]);
    expect(Array.from(fa.inf)).toEqual([0, 0, 0, 2]);
  });
});
