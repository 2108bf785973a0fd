import { accumulate, createTotals, finishTotals, type PlaneStats } from './channel-totals';

/** Inputs of 4 channels × 15 values around 1000, with a zero plane, a NaN and an Inf. */
function batch(seed: number, n: number): Float32Array {
  let s = seed;
  const data = Float32Array.from({ length: n * 4 * 15 }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return 1000 + (s / 2 ** 31 - 0.5);
  });
  data.fill(0, 15, 30); // input 0, channel 1
  data[2 * 60 + 2 * 15 + 4] = NaN;
  data[2 * 60 + 3 * 15] = Infinity;
  return data;
}

/** What plane-stats-graph.ts computes, plane by plane, in JS. */
function planeStats(data: Float32Array, planes: number): PlaneStats {
  const out = { min: [], max: [], mean: [], m2: [], nonzero: [], nan: [], nonfinite: [], outside: [] } as Record<keyof PlaneStats, number[]>;
  for (let p = 0; p < planes; p++) {
    const v = Array.from(data.subarray(p * 15, p * 15 + 15));
    const f = v.filter(Number.isFinite);
    const mean = f.reduce((a, b) => a + b, 0) / f.length;
    out.min.push(Math.min(...f));
    out.max.push(Math.max(...f));
    out.mean.push(mean);
    out.m2.push(f.reduce((a, b) => a + (b - mean) ** 2, 0));
    out.nonzero.push(f.filter((x) => x !== 0).length);
    out.nan.push(v.filter(Number.isNaN).length);
    out.nonfinite.push(15 - f.length);
    out.outside.push(v.filter((x) => !(x > 0 && x < 1000)).length);
  }
  return Object.fromEntries(Object.entries(out).map(([k, a]) => [k, Float32Array.from(a)])) as unknown as PlaneStats;
}

describe('channel totals', () => {
  it('folds batches of plane statistics into what one pass over every value gives', () => {
    const t = createTotals({ node: 'n', op: 'Clip', tensor: 't' }, [4, 5, 3], 2, [0, 1000]);
    const batches = [batch(7, 3), batch(11, 3)];
    batches.forEach((b, i) => accumulate(t, planeStats(b, 12), 3, i * 3));
    const out = finishTotals(t);
    for (let c = 0; c < 4; c++) {
      const values = batches.flatMap((b) => [0, 1, 2].flatMap((j) => Array.from(b.subarray((j * 4 + c) * 15, (j * 4 + c + 1) * 15))));
      const f = values.filter(Number.isFinite);
      const mean = f.reduce((a, b) => a + b, 0) / f.length;
      expect(out.mean[c]).toBeCloseTo(mean, 4);
      expect(out.std[c]).toBeCloseTo(Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length), 4);
      expect(out.min[c]).toBe(Math.fround(Math.min(...f)));
      expect(out.zeros[c]).toBe(values.filter((x) => x === 0).length / 90);
      expect(out.saturated?.[c]).toBe(f.filter((x) => x <= 0 || x >= 1000).length / 90);
    }
    expect(out.dead[1]).toBeCloseTo(2 / 6, 12); // input 0 of each batch
    expect(Array.from(out.nan)).toEqual([0, 0, 2, 0]);
    expect(Array.from(out.inf)).toEqual([0, 0, 0, 2]);
    expect(Array.from(out.top.subarray(0, 2)).every((i) => i >= 0 && i < 6)).toBe(true);
    expect(out.top[2]).not.toBe(0); // channel 1's input 0 is all zeros: never its top
  });
});
