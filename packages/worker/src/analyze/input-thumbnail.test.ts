import { inputThumbnail } from './input-thumbnail';

test('a 3-channel input is stretched over its range and box-averaged to fit the side', () => {
  // 1×3×4×4: channel c holds c everywhere, except a 2×2 block of 10 in channel 2's top left.
  const data = new Float32Array(3 * 16).map((_, i) => Math.floor(i / 16));
  for (const i of [0, 1, 4, 5]) data[32 + i] = 10;
  const t = inputThumbnail({ data, shape: [1, 3, 4, 4] }, 2);
  expect(t).toMatchObject({ width: 2, height: 2, channels: 3 });
  expect(Array.from(t?.data ?? [])).toEqual([0, 0, 0, 0, 26, 26, 26, 26, 255, 51, 51, 51]);
});

test('no thumbnail for inputs that are not images', () => {
  expect(inputThumbnail({ data: new Float32Array(8), shape: [1, 8] })).toBeUndefined();
  expect(inputThumbnail({ data: new Float32Array(32), shape: [1, 2, 4, 4] })).toBeUndefined();
  expect(inputThumbnail({ data: Float32Array.of(NaN), shape: [1, 1, 1, 1] })).toBeUndefined();
});
