import { encodePng } from '../../../../test/support/png-encode';
import { decodeImage } from './decode-image';

/** Pseudo-random but fixed bytes. */
const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 119 + ((i * i) % 13)) & 0xff);

/** A 3×1 palette PNG (red, green, blue; pixels 2, 0, 1), written by another encoder (pngjs writes no palettes). */
const PALETTE_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAMAAAABCAMAAAAsPuSGAAAACVBMVEX/AAAA/wAAAP8tSs2KAAAADElEQVR4XmNgYmAEAAALAAStUFs9AAAAAElFTkSuQmCC';

describe('decodeImage', () => {
  it.each([
    ['grey', 0, (s: number[]) => [s[0], s[0], s[0], 255]],
    ['grey+alpha', 4, (s: number[]) => [s[0], s[0], s[0], s[1]]],
    ['RGB', 2, (s: number[]) => [s[0], s[1], s[2], 255]],
    ['RGBA', 6, (s: number[]) => s],
  ] as const)('hands 8-bit %s PNGs over as RGBA', (_name, colorType, rgba) => {
    const samples = { 0: 1, 4: 2, 2: 3, 6: 4 }[colorType];
    const data = bytes(5 * 7 * samples);
    const img = decodeImage(encodePng({ width: 5, height: 7, colorType, data }));
    const want = Array.from({ length: 5 * 7 }, (_, i) => rgba(Array.from(data.subarray(i * samples, (i + 1) * samples)))).flat();
    expect({ ...img, data: Array.from(img.data) }).toEqual({ width: 5, height: 7, data: want });
  });

  it('scales 16-bit samples to 8 bits', () => {
    const data = Uint16Array.of(0, 257 * 128, 65535);
    const img = decodeImage(encodePng({ width: 1, height: 1, colorType: 2, bitDepth: 16, data }));
    expect(Array.from(img.data)).toEqual([0, 128, 255, 255]);
  });

  it('expands palette images', () => {
    const img = decodeImage(Buffer.from(PALETTE_PNG, 'base64'));
    expect(Array.from(img.data)).toEqual([0, 0, 255, 255, 255, 0, 0, 255, 0, 255, 0, 255]);
  });

  it.each([
    ['neither PNG nor JPEG', () => Uint8Array.of(1, 2, 3), /neither a PNG nor a JPEG/],
    ['a truncated PNG', () => encodePng({ width: 4, height: 4, colorType: 0, data: bytes(16) }).subarray(0, 40), /cannot decode the PNG input: the file is truncated/],
    ['a broken JPEG', () => Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10), /cannot decode the JPEG input/],
  ])('rejects %s with BAD_INPUT', (_what, make, message) => {
    expect(() => decodeImage(make())).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(message) }));
  });
});
