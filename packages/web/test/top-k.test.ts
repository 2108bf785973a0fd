/** A classifier's top-k: softmax over logits, probabilities left as they are. */
import { exactFlat } from '../src/client/run-data';
import { areProbabilities, softmax, topK } from '../src/graph/top-k';

test('softmax sums to 1 and survives large logits', () => {
  const p = softmax([0, Math.log(3)]);
  expect(p[0]).toBeCloseTo(0.25, 12);
  expect(p[1]).toBeCloseTo(0.75, 12);
  const big = softmax([1000, 1000, 999]);
  expect(big[0]).toBeCloseTo(1 / (2 + Math.exp(-1)), 12);
});

test('logits get a softmax; probabilities (a Softmax op, or 0…1 summing to 1) are kept', () => {
  const logits = topK([1, 3, 2, -1], 2);
  expect(logits.softmax).toBe(true);
  expect(logits.entries.map((e) => e.index)).toEqual([1, 2]);
  const z = Math.exp(1) + Math.exp(3) + Math.exp(2) + Math.exp(-1);
  expect(logits.entries[0]?.probability).toBeCloseTo(Math.exp(3) / z, 12);
  expect(topK([0.1, 0.7, 0.2], 1)).toEqual({ entries: [{ index: 1, value: 0.7, probability: 0.7 }], softmax: false });
  expect(areProbabilities([0.5, 0.5])).toBe(true);
  expect(areProbabilities([0.5, 0.4])).toBe(false);
  expect(areProbabilities([0.5, 0.4], 'Softmax')).toBe(true);
  expect(topK([2, 2, 1], 3).entries.map((e) => e.index)).toEqual([0, 1, 2]); // ties: lower index first
});

test('logits stored exactly (a range per value) read back as their values, and as one range to draw', () => {
  const exact = exactFlat({ tensor: 'logits', shape: [3], channelMin: [1.5, -2, 0.25], channelMax: [1.5, -2, 0.25], url: '/x' });
  expect(exact && Array.from(exact.values)).toEqual([1.5, -2, 0.25]);
  expect(exact?.meta).toMatchObject({ channelMin: [-2], channelMax: [1.5] });
  expect(exact && Array.from(exact.bytes)).toEqual([255, 0, Math.round((2.25 / 3.5) * 255)]);
  // One range for all (a long output, or one with ±Inf): not exact.
  expect(exactFlat({ tensor: 'x', shape: [3], channelMin: [0], channelMax: [1], url: '/x' })).toBeNull();
  expect(exactFlat({ tensor: 'x', shape: [3, 1, 1], channelMin: [0, 1, 2], channelMax: [0, 1, 2], url: '/x' })).toBeNull();
});
