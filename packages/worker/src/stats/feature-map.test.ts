import { mapLayout, quantizeFeatureMap } from './feature-map';
import { histogram } from './filters';
import { halfToFloat } from './float-view';

describe('quantizeFeatureMap', () => {
  it('quantises each channel of batch item 0 over its own range', () => {
    // [2, 2, 1, 3]: batch item 1 must not show up.
    const data = Float32Array.of(0, 5, 10, -1, -1, -1, 99, 99, 99, 99, 99, 99);
    const map = quantizeFeatureMap('t', data, [2, 2, 1, 3], 8);
    expect(map.shape).toEqual([2, 1, 3]);
    expect(Array.from(map.channelMin)).toEqual([0, -1]);
    expect(Array.from(map.channelMax)).toEqual([10, -1]);
    expect(Array.from(map.data)).toEqual([0, 128, 255, 0, 0, 0]);
  });

  it('keeps at most maxChannels channels', () => {
    const map = quantizeFeatureMap('t', new Float32Array(5 * 4), [1, 5, 2, 2], 3);
    expect(map.shape).toEqual([3, 2, 2]);
    expect(map.data).toHaveLength(12);
  });

  it('keeps every value of a short flat map exactly: each value its own range, its byte 0', () => {
    const logits = Float32Array.of(-3.25, 7.125, 0.001, 2);
    const map = quantizeFeatureMap('t', Float32Array.of(...logits, 9, 9, 9, 9), [2, 4], 1);
    expect(map.shape).toEqual([4]);
    expect(map.channelMin).toEqual(logits);
    expect(map.channelMax).toEqual(logits);
    expect(Array.from(map.data)).toEqual([0, 0, 0, 0]);
  });

  it('maps NaN to 0 and clamps ±Inf, with the range over finite values', () => {
    const map = quantizeFeatureMap('t', Float32Array.of(NaN, Infinity, -Infinity, 2, 4), [1, 5], 1);
    expect(map.shape).toEqual([5]);
    expect([map.channelMin[0], map.channelMax[0]]).toEqual([2, 4]);
    expect(Array.from(map.data)).toEqual([0, 255, 0, 0, 255]);
  });

  it.each([
    [[], { channels: 1, height: 1, width: 1, flat: true }],
    [[7], { channels: 1, height: 1, width: 7, flat: true }],
    [[2, 10], { channels: 1, height: 1, width: 10, flat: true }],
    [[1, 4, 9], { channels: 4, height: 1, width: 9, flat: false }],
    [[1, 4, 3, 5, 6], { channels: 4, height: 15, width: 6, flat: false }],
  ])('lays out shape %j as %j', (shape, layout) => expect(mapLayout(shape)).toEqual(layout));
});

describe('histogram', () => {
  it('bins values in equal-width bins, the last including the maximum, skipping non-finite values', () => {
    expect(histogram(Float32Array.of(0, 0.5, 1), 2)).toEqual({ edges: [0, 0.5, 1], counts: [1, 2] });
    expect(histogram(Float32Array.of(-1, -1, NaN, 3), 4)).toEqual({ edges: [-1, 0, 1, 2, 3], counts: [2, 0, 0, 1] });
  });

  it('puts everything in the first bin when all values are equal', () => {
    expect(histogram(Float32Array.of(2, 2), 3).counts).toEqual([2, 0, 0]);
  });
});

describe('halfToFloat', () => {
  it('decodes normal, subnormal and special half-precision values', () => {
    const out = halfToFloat(Uint16Array.of(0x3c00, 0xc000, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x0000, 0x3555));
    expect(Array.from(out.subarray(0, 7))).toEqual([1, -2, 2 ** -24, Infinity, -Infinity, NaN, 0]);
    expect(out[7]).toBeCloseTo(1 / 3, 3);
  });
});
