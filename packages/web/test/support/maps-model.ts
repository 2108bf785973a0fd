/**
 * A small classifier built in code for the panel's map tests: a stem of
 * known kernels, strides, paddings and dilation (so a receptive field can be
 * worked out by hand), a 130-channel layer (three pages of channels) and a
 * 10-class head whose logits make top-k bars; with a 32×32 RGB picture.
 */
import { PNG } from 'pngjs';
import { createRandom } from '../../../../test/support/random';
import { buildModel, floatTensor, node, valueInfo } from '../../../../test/support/onnx-builder';

export const WIDE = 130;
export const CLASSES = ['tench', 'goldfish', 'shark', 'tiger shark', 'hammerhead', 'ray', 'stingray', 'cock', 'hen', 'ostrich'];

const weights = (name: string, dims: number[], seed: number, scale = 1) => {
  const rnd = createRandom(seed);
  return floatTensor(name, dims, Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (rnd() - 0.5) * scale));
};

/**
 * image [1,3,32,32] → Conv 3→8 k3 s2 p1 → Relu → MaxPool k3 s2 p1 → Conv 8→130 k3 dilation 2 p2
 * → Relu → GlobalAveragePool → Flatten → Gemm 130→10.
 */
export function mapsModel(): Uint8Array {
  return buildModel({
    inputs: [valueInfo('image', 'float', [1, 3, 32, 32])],
    outputs: [valueInfo('logits', 'float', null)],
    initializers: [
      weights('stem.weight', [8, 3, 3, 3], 1),
      weights('stem.bias', [8], 2, 0.2),
      weights('wide.weight', [WIDE, 8, 3, 3], 3),
      weights('wide.bias', [WIDE], 4, 0.2),
      weights('fc.weight', [10, WIDE], 5, 0.6),
      weights('fc.bias', [10], 6, 2),
    ],
    nodes: [
      node('Conv', ['image', 'stem.weight', 'stem.bias'], ['s'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, '/stem/conv/Conv'),
      node('Relu', ['s'], ['sr'], {}, '/stem/relu/Relu'),
      node('MaxPool', ['sr'], ['p'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, '/stem/pool/MaxPool'),
      node('Conv', ['p', 'wide.weight', 'wide.bias'], ['w'], { kernel_shape: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] }, '/wide/conv/Conv'),
      node('Relu', ['w'], ['wr'], {}, '/wide/relu/Relu'),
      node('GlobalAveragePool', ['wr'], ['g'], {}, '/head/pool/GlobalAveragePool'),
      node('Flatten', ['g'], ['f'], { axis: 1 }, '/head/Flatten'),
      node('Gemm', ['f', 'fc.weight', 'fc.bias'], ['logits'], { transB: 1 }, '/head/fc/Gemm'),
    ],
  });
}

/** A picture `size` px square (32 by default): a red disc on a blue-to-green ramp. */
export function mapsPicture(size = 32): Buffer {
  const png = new PNG({ width: size, height: size });
  const k = size / 32;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const disc = (x / k - 20) ** 2 + (y / k - 12) ** 2 < 49;
      png.data[i] = disc ? 230 : 20;
      png.data[i + 1] = disc ? 40 : Math.floor(x / k) * 8;
      png.data[i + 2] = disc ? 30 : 255 - Math.floor(y / k) * 8;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

export const IMAGENET = { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] };
