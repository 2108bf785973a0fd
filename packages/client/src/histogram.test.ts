import { binValues } from './histogram';

describe('binValues', () => {
  it('splits [min, max] into equal bins with the maximum in the last bin', () => {
    const bins = binValues([0, 1, 1, 2], 2);
    expect(bins).toEqual({ centres: [0.5, 1.5], counts: [1, 3], min: 0, max: 2, width: 1 });
  });

  it('counts every finite value once', () => {
    const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
    const bins = binValues(new Float64Array(values), 30);
    expect(bins.counts).toHaveLength(30);
    expect(bins.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(bins.centres[0]).toBeCloseTo(bins.min + bins.width / 2);
    expect(bins.centres[29]).toBeCloseTo(bins.max - bins.width / 2);
  });

  it('puts values on the edges in the right bins', () => {
    const { counts } = binValues([0, 0.25, 0.5, 0.75, 1], 4);
    expect(counts).toEqual([1, 1, 1, 2]);
  });

  it('skips NaN and infinities', () => {
    const { counts, min, max } = binValues([NaN, 1, Infinity, 3, -Infinity], 2);
    expect(counts).toEqual([1, 1]);
    expect([min, max]).toEqual([1, 3]);
  });

  it('widens a range of one repeated value', () => {
    const bins = binValues([5, 5, 5], 3);
    expect([bins.min, bins.max]).toEqual([4.5, 5.5]);
    expect(bins.counts).toEqual([0, 3, 0]);
  });

  it('returns empty bins over [0, 1] for no values', () => {
    expect(binValues([], 2)).toEqual({ centres: [0.25, 0.75], counts: [0, 0], min: 0, max: 1, width: 0.5 });
  });
});
