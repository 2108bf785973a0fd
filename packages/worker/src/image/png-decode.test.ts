import { encodePng } from '../../test/support/png-encode';
import { decodePng } from './png-decode';

/** Pseudo-random but fixed bytes, so every filter has something to predict. */
const bytes = (n: number, seed = 7) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17 + ((i * i) % 13)) & 0xff);

describe('decodePng', () => {
  it.each([
    ['grey', 0, 1],
    ['grey+alpha', 4, 2],
    ['RGB', 2, 3],
    ['RGBA', 6, 4],
  ] as const)('decodes 8-bit %s through all five row filters', (_name, colorType, channels) => {
    const data = bytes(5 * 7 * channels);
    const img = decodePng(encodePng({ width: 5, height: 7, colorType, data }));
    expect(img).toEqual({ width: 5, height: 7, channels, data });
  });

  it('keeps the high byte of 16-bit samples', () => {
    const data = bytes(3 * 2 * 3 * 2);
    const img = decodePng(encodePng({ width: 3, height: 2, colorType: 2, bitDepth: 16, data }));
    expect(Array.from(img.data)).toEqual(Array.from(data).filter((_, i) => i % 2 === 0));
  });

  it('expands palette images to RGB', () => {
    const palette = Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255);
    const img = decodePng(encodePng({ width: 3, height: 1, colorType: 3, data: Uint8Array.of(2, 0, 1), palette }));
    expect(img.channels).toBe(3);
    expect(Array.from(img.data)).toEqual([0, 0, 255, 255, 0, 0, 0, 255, 0]);
  });

  it.each([
    ['not a PNG', () => Uint8Array.of(1, 2, 3), /PNG signature/],
    ['interlaced', () => encodePng({ width: 2, height: 2, colorType: 0, data: bytes(4), interlace: true }), /interlaced PNGs are not supported/],
    ['truncated', () => encodePng({ width: 4, height: 4, colorType: 0, data: bytes(16) }).subarray(0, 40), /truncated/],
    ['palette without PLTE', () => encodePng({ width: 2, height: 1, colorType: 3, data: bytes(2) }), /without a PLTE chunk/],
  ])('rejects %s with BAD_INPUT', (_what, make, message) => {
    expect(() => decodePng(make())).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(message) }));
  });
});
