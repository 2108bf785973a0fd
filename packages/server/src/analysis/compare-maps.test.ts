import type { LayerResult } from '@cnnvis/protocol';
import { compareMaps, comparableSize, type QuantizedMap } from './compare-maps';
import { matchLayers } from './compare-runs';

/** A map whose bytes are its values when each channel spans [0, 255]. */
const map = (shape: number[], values: number[]): QuantizedMap => {
  const channels = shape.length === 3 ? (shape[0] ?? 1) : 1;
  return { shape, channelMin: new Array<number>(channels).fill(0), channelMax: new Array<number>(channels).fill(255), data: Uint8Array.from(values) };
};

test('cosine, relL2 and mean |A−B| as worked by hand; channels ranked by change', () => {
  const a = map([2, 1, 2], [3, 4, 0, 0]);
  const b = map([2, 1, 2], [3, 4, 0, 5]);
  const size = comparableSize(a, b);
  expect(size).toEqual({ channels: 2, plane: 2 });
  const r = compareMaps(a, b, 2, 2, 1);
  // A·B = 25, ‖A‖ = 5, ‖B‖ = √50; ‖A−B‖ = 5.
  expect(r.cosine).toBeCloseTo(25 / (5 * Math.sqrt(50)), 12);
  expect(r.relL2).toBeCloseTo(1, 12);
  expect(r.meanAbsDiff).toBeCloseTo(5 / 4, 12);
  expect(r.channels).toEqual([{ channel: 1, meanAbsDiff: 2.5, relL2: null }]);
});

test('all-zero maps are equal (cosine 1, relL2 0); one all-zero side has no cosine', () => {
  const zero = map([4], [0, 0, 0, 0]);
  expect(compareMaps(zero, zero, 1, 4, 1)).toMatchObject({ cosine: 1, relL2: 0, meanAbsDiff: 0 });
  expect(compareMaps(zero, map([4], [1, 0, 0, 0]), 1, 4, 1)).toMatchObject({ cosine: null, relL2: null });
  expect(comparableSize(map([1, 2, 2], [0, 0, 0, 0]), map([1, 1, 4], [0, 0, 0, 0]))).toEqual({ channels: 1, plane: 4 });
  expect(comparableSize(map([1, 2, 2], [0, 0, 0, 0]), map([3], [0, 0, 0]))).toMatch(/differ/);
});

const layer = (node: string, tensor: string, shape: number[]): LayerResult => ({
  node, op: 'Conv', tensor, shape, stats: { min: 0, max: 0, mean: 0, std: 0, zeros: 0, nan: 0, inf: 0 }, channels: [],
});

test('layers match by node name and output position, with the same shape; the rest say why', () => {
  const a = [layer('conv', 't1', [1, 2, 4, 4]), layer('split', 's0', [1, 1]), layer('split', 's1', [1, 1]), layer('fc', 'f', [1, 10]), layer('old', 'o', [1])];
  const b = [layer('conv', 'renamed', [1, 2, 4, 4]), layer('split', 's1', [1, 1]), layer('fc', 'f', [1, 12]), layer('new', 'n', [1])];
  const { pairs, unmatched } = matchLayers(a, b);
  expect(pairs.map((p) => [p.a.tensor, p.b.tensor])).toEqual([['t1', 'renamed'], ['s0', 's1']]);
  expect(unmatched).toEqual([
    { id: 'split', tensor: 's1', run: 'a', reason: "run b has no layer 'split'" },
    { id: 'fc', tensor: 'f', run: 'a', reason: 'output [1, 10] in run a, [1, 12] in run b' },
    { id: 'old', tensor: 'o', run: 'a', reason: "run b has no layer 'old'" },
    { id: 'new', tensor: 'n', run: 'b', reason: "run a has no layer 'new'" },
  ]);
});
