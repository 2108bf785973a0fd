import { detectImageFormat } from '@cnnvis/protocol';
import { toImageInput, toUint8Pixels } from './image-convert';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]);

describe('toUint8Pixels', () => {
  it('scales floats in 0..1 by 255 and rounds', () => {
    expect(Array.from(toUint8Pixels(new Float32Array([0, 0.5, 1, 0.1])))).toEqual([0, 128, 255, 26]);
  });

  it('keeps floats above 1 as 0..255, clamped and rounded', () => {
    expect(Array.from(toUint8Pixels(new Float64Array([-5, 0.4, 2.5, 254.6, 300])))).toEqual([0, 0, 3, 255, 255]);
  });

  it('turns NaN into 0', () => {
    expect(Array.from(toUint8Pixels(new Float32Array([NaN, 0.5])))).toEqual([0, 128]);
  });

  it('passes bytes through without copying', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(toUint8Pixels(bytes)).toBe(bytes);
    const clamped = new Uint8ClampedArray([4, 5, 6]);
    const view = toUint8Pixels(clamped);
    expect(view).toBeInstanceOf(Uint8Array);
    expect(view.buffer).toBe(clamped.buffer);
    expect(Array.from(view)).toEqual([4, 5, 6]);
  });
});

describe('detectImageFormat', () => {
  it('tells PNG and JPEG by magic bytes', () => {
    expect(detectImageFormat(PNG)).toBe('png');
    expect(detectImageFormat(Buffer.from(JPEG))).toBe('jpeg');
  });

  it('returns undefined for anything else, including short input', () => {
    expect(detectImageFormat(new Uint8Array([0x89, 0x50]))).toBeUndefined();
    expect(detectImageFormat(new Uint8Array([0x47, 0x49, 0x46, 0x38]))).toBeUndefined();
    expect(detectImageFormat(new Uint8Array())).toBeUndefined();
  });
});

describe('toImageInput', () => {
  it('sends CHW floats as raw 8-bit pixels', () => {
    const img = toImageInput({ data: new Float32Array([0, 1, 0.5, 0.5, 0, 0]), shape: [3, 1, 2], caption: 'c' });
    expect(img).toEqual({ encoding: 'raw', shape: [3, 1, 2], data: new Uint8Array([0, 255, 128, 128, 0, 0]), caption: 'c' });
  });

  it('sends HW grey images with their 2-D shape', () => {
    const img = toImageInput({ data: new Uint8Array(6), shape: [2, 3] });
    expect(img).toMatchObject({ encoding: 'raw', shape: [2, 3] });
    expect(img.data).toBeInstanceOf(Uint8Array);
  });

  it('names the shape when channels come last', () => {
    expect(() => toImageInput({ data: new Uint8Array(12), shape: [2, 2, 3] })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(/^image\.shape: .*channels go first/) }),
    );
  });

  it('detects encoded bytes, bare or with a caption', () => {
    expect(toImageInput(PNG)).toEqual({ encoding: 'png', data: PNG });
    expect(toImageInput({ data: Buffer.from(JPEG), caption: 'j' })).toMatchObject({ encoding: 'jpeg', caption: 'j' });
  });

  it('rejects bytes that are neither PNG nor JPEG', () => {
    expect(() => toImageInput(new Uint8Array([1, 2, 3]), 'images[2]')).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: 'images[2]: is neither PNG nor JPEG bytes; pass { data, shape } for raw pixels' }),
    );
    expect(() => toImageInput(new Float32Array(3) as unknown as Uint8Array)).toThrow(/neither PNG nor JPEG/);
  });
});
