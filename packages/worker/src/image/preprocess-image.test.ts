import { encodePng } from '../../../../test/support/png-encode';
import { imageToTensor, resizeBilinear } from './preprocess-image';

describe('resizeBilinear', () => {
  it('keeps an image of the same size as it is', () => {
    const src = Float32Array.of(1, 2, 3, 4);
    const dst = new Float32Array(4);
    resizeBilinear(src, 2, 2, dst, 2, 2);
    expect(Array.from(dst)).toEqual([1, 2, 3, 4]);
  });

  it('upsamples with half-pixel centres, clamping at the border', () => {
    const dst = new Float32Array(4);
    resizeBilinear(Float32Array.of(0, 10), 2, 1, dst, 4, 1);
    expect(Array.from(dst)).toEqual([0, 2.5, 7.5, 10]);
  });

  it('downsamples 4→2 by averaging neighbour pairs', () => {
    const dst = new Float32Array(2);
    resizeBilinear(Float32Array.of(0, 2, 4, 6), 4, 1, dst, 2, 1);
    expect(Array.from(dst)).toEqual([1, 5]);
  });
});

describe('imageToTensor', () => {
  // 2×1 RGB: a red pixel and a blue one.
  const png = encodePng({ width: 2, height: 1, colorType: 2, data: Uint8Array.of(255, 0, 0, 0, 0, 255) });

  it('scales, normalises per channel and lays out NCHW with batch 1', () => {
    const t = imageToTensor(png, ['batch', 3, 1, 2], { mean: [0.5, 0, 0.5], std: [0.5, 1, 0.25] });
    expect(t.shape).toEqual([1, 3, 1, 2]);
    expect(Array.from(t.data)).toEqual([1, -1, 0, 0, -2, 2]);
  });

  it('swaps to BGR when asked, and takes symbolic sizes from the image', () => {
    const t = imageToTensor(png, ['batch', 3, 'h', 'w'], { channelOrder: 'bgr', scale: 1 });
    expect(t.shape).toEqual([1, 3, 1, 2]);
    expect(Array.from(t.data)).toEqual([0, 255, 0, 0, 255, 0]);
  });

  it('converts colour to grey luma for 1-channel models, and resizes to the model input', () => {
    const t = imageToTensor(png, [1, 1, 2, 4], { scale: 1 });
    expect(t.shape).toEqual([1, 1, 2, 4]);
    const red = 0.299 * 255;
    const blue = 0.114 * 255;
    expect(t.data[0]).toBeCloseTo(red, 4);
    expect(t.data[3]).toBeCloseTo(blue, 4);
    expect(t.data[1]).toBeCloseTo(red * 0.75 + blue * 0.25, 4);
  });

  it.each([
    [['batch', 3, 224], /needs a model whose input is 4-D NCHW/],
    [[1, 4, 2, 2], /1 or 3 input channels; this one has 4/],
  ] as const)('rejects a model input of shape %j', (shape, message) => {
    expect(() => imageToTensor(png, [...shape], {})).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(message) }));
  });

  it('says to turn resize on when it is off and the sizes differ', () => {
    expect(() => imageToTensor(png, [1, 3, 4, 4], { resize: false })).toThrow(/is 2×1 and the model takes 4×4; turn preprocess.resize on/);
  });
});
