/** The input shown as a picture: preprocessing undone with the run's own mean, std, scale and channel order. */
import { inputPicture, toPixel } from '../src/graph/input-picture';

const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };

/** A map of exact values: each channel constant, so min = max = the value and every byte is 0. */
const constant = (values: number[], plane = 1) => ({
  bytes: new Uint8Array(values.length * plane),
  meta: { shape: [values.length, 1, plane], channelMin: values, channelMax: values },
});

test('a normalised value goes back to its 0–255 pixel: (x · std + mean) / scale', () => {
  // Pixel 200 in the green channel: x = (200/255 − 0.456) / 0.224.
  const x = (200 / 255 - 0.456) / 0.224;
  expect(toPixel(x, 1, IMAGENET)).toBeCloseTo(200, 6);
  expect(toPixel(0, 0, {})).toBe(0); // mean 0, std 1, scale 1/255
  expect(toPixel(0.5, 0, { scale: 1 })).toBe(0.5);
  expect(toPixel(-1, 2, { mean: [0.5], std: [0.5] })).toBeCloseTo(0, 9); // one mean and std for every channel
});

test('an ImageNet-normalised RGB pixel comes back as the pixel it was', () => {
  const rgb = [250, 128, 3];
  const { bytes, meta } = constant(rgb.map((p, c) => (p / 255 - (IMAGENET.mean[c] ?? 0)) / (IMAGENET.std[c] ?? 1)));
  const pic = inputPicture(bytes, meta, { tensor: 'input', image: true, preprocess: IMAGENET });
  expect(pic && Array.from(pic.data)).toEqual([250, 128, 3, 255]);
});

test('BGR inputs are shown as RGB; grey inputs as grey; values past 0–255 are clamped', () => {
  const { bytes, meta } = constant([10 / 255, 20 / 255, 30 / 255]);
  expect(Array.from(inputPicture(bytes, meta, { tensor: 'x', image: true, preprocess: { channelOrder: 'bgr' } })?.data ?? [])).toEqual([30, 20, 10, 255]);
  const grey = constant([0.5]);
  expect(Array.from(inputPicture(grey.bytes, grey.meta, { tensor: 'x', image: true })?.data ?? [])).toEqual([128, 128, 128, 255]);
  const bright = constant([3]);
  expect(Array.from(inputPicture(bright.bytes, bright.meta, { tensor: 'x', image: true })?.data ?? [])).toEqual([255, 255, 255, 255]);
});

test('quantised bytes are read back per channel first; a raw tensor outside 0–1 is stretched over its range', () => {
  // Two pixels of one channel in −2 … 2: bytes 0 and 255.
  const meta = { shape: [1, 1, 2], channelMin: [-2], channelMax: [2] };
  expect(Array.from(inputPicture(Uint8Array.from([0, 255]), meta, { tensor: 'x', image: false })?.data ?? [])).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  const unit = { shape: [1, 1, 2], channelMin: [0], channelMax: [0.5] };
  expect(Array.from(inputPicture(Uint8Array.from([0, 255]), unit, undefined)?.data ?? []).slice(4, 7)).toEqual([128, 128, 128]);
});

test('no picture for inputs that are not 1 or 3 channels of a plane', () => {
  expect(inputPicture(new Uint8Array(10), { shape: [10], channelMin: [0], channelMax: [1] }, undefined)).toBeNull();
  expect(inputPicture(new Uint8Array(16), { shape: [4, 2, 2], channelMin: [0, 0, 0, 0], channelMax: [1, 1, 1, 1] }, undefined)).toBeNull();
});
