import { channelsWithin } from './map-budget';

describe('channelsWithin', () => {
  test('every channel when they fit, capped by maxChannels', () => {
    expect(channelsWithin([[1, 3, 8, 8], [1, 512, 7, 7]], 4096, 1 << 20)).toBe(512);
    expect(channelsWithin([[1, 3, 8, 8], [1, 512, 7, 7]], 16, 1 << 20)).toBe(16);
  });
  test('past the budget, the most channels whose maps fit, the same for every layer', () => {
    // 3 input planes of 64 + k planes of 49 (k ≤ 512) + 10 flat values: k = floor((2000 - 192 - 10) / 49) = 36.
    expect(channelsWithin([[1, 3, 8, 8], [1, 512, 7, 7], [1, 10]], 4096, 2000)).toBe(36);
    const total = (k: number) => 3 * 64 + k * 49 + 10;
    expect(total(36)).toBeLessThanOrEqual(2000);
    expect(total(37)).toBeGreaterThan(2000);
  });
  test('at least one channel, even past the budget', () => {
    expect(channelsWithin([[1, 64, 112, 112]], 4096, 10)).toBe(1);
  });
});
