import { createTopThumbnails } from './top-thumbnails';

const image = (v: number) => Float32Array.from({ length: 2 * 2 }, (_, i) => v + i);

test('keeps a thumbnail only for inputs some top-k holds, dropping those that left', () => {
  const thumbs = createTopThumbnails();
  thumbs.update([Int32Array.from([0, 1]), Int32Array.from([1, -1])], 0, [image(0), image(1)], [1, 2, 2]);
  expect(thumbs.finish().map((t) => t.input)).toEqual([0, 1]);
  // Inputs 2 and 3 push input 0 out of every top-k; input 3 enters none.
  thumbs.update([Int32Array.from([2, 1]), Int32Array.from([1, 2])], 2, [image(2), image(3)], [1, 2, 2]);
  const kept = thumbs.finish();
  expect(kept.map((t) => t.input)).toEqual([1, 2]);
  expect(kept[1]?.thumbnail).toMatchObject({ width: 2, height: 2, channels: 1 });
  expect(Array.from(kept[1]?.thumbnail.data ?? [])).toEqual([0, 85, 170, 255]);
});

test('makes none for inputs that are not 1- or 3-channel images', () => {
  const thumbs = createTopThumbnails();
  thumbs.update([Int32Array.from([0])], 0, [new Float32Array(10)], [10]);
  expect(thumbs.finish()).toEqual([]);
});

test('keeps at most `max`: the inputs holding the most top-k places, a kept one winning a tie', () => {
  const thumbs = createTopThumbnails(2);
  thumbs.update([Int32Array.from([0, 1]), Int32Array.from([1, 2])], 0, [image(0), image(1), image(2)], [1, 2, 2]);
  expect(thumbs.finish().map((t) => t.input)).toEqual([0, 1]); // 1 holds two places; 0 and 2 tie, the lower first
  thumbs.update([Int32Array.from([3, 0]), Int32Array.from([3, 1])], 3, [image(3)], [1, 2, 2]);
  expect(thumbs.finish().map((t) => t.input)).toEqual([0, 3]); // 3 holds two places; 0 and 1 tie, both kept, the lower stays
});
