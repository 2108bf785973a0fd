/**
 * Small models built in code for tests: one with known weights (Sobel edge
 * filters), and the broken or odd ones the worker must reject clearly.
 */
import { create } from '@bufbuild/protobuf';
import { onnx } from './onnx';
import { buildModel, floatTensor, graph, int64Tensor, node, valueInfo } from './onnx-builder';

/** Sobel kernels: channel 0 responds to vertical edges (d/dx), channel 1 to horizontal ones (d/dy). */
export const SOBEL_X = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
export const SOBEL_Y = [-1, -2, -1, 0, 0, 0, 1, 2, 1];
export const SOBEL_BIAS = [0.5, -0.25];

/**
 * Conv(1→2, 3×3, pad 1, Sobel weights, bias) → Relu, on a [batch, 1, h, w] input,
 * with node names that make one group (`edges`).
 */
export function sobelModel(h: number, w: number): Uint8Array {
  return buildModel({
    inputs: [valueInfo('image', 'float', ['batch', 1, h, w])],
    outputs: [valueInfo('edges', 'float', null)],
    initializers: [floatTensor('sobel.weight', [2, 1, 3, 3], [...SOBEL_X, ...SOBEL_Y]), floatTensor('sobel.bias', [2], SOBEL_BIAS)],
    nodes: [
      node('Conv', ['image', 'sobel.weight', 'sobel.bias'], ['conv_out'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, '/sobel/conv/Conv'),
      node('Relu', ['conv_out'], ['edges'], {}, '/sobel/Relu'),
    ],
  });
}

/** The weights of {@link resnetNamedModel}'s `/conv1/Conv` ([4, 3, 3, 3]): -1 … 53/54 in steps of 1/54. */
export const RESNET_CONV1 = Array.from({ length: 108 }, (_, i) => (i - 54) / 54);

/**
 * Conv layers named as PyTorch exports a ResNet-18's (`/conv1/Conv`, then
 * `/layer<l>/layer<l>.<b>/conv<k>/Conv`, whose names contain `conv1` too), on a
 * [batch, 3, h, w] input, ending in an op no runtime implements: its weights
 * can be read, but it can never run.
 */
export function resnetNamedModel(): Uint8Array {
  const convs = ['/layer1/layer1.0/conv1/Conv', '/layer1/layer1.0/conv2/Conv', '/layer1/layer1.1/conv1/Conv', '/layer2/layer2.0/conv1/Conv'];
  const weight = (k: number) => floatTensor(`onnx::Conv_${k}`, [4, 4, 3, 3], Array.from({ length: 144 }, (_, i) => Math.sin(i + k)));
  return buildModel({
    inputs: [valueInfo('input', 'float', ['batch', 3, 'h', 'w'])],
    outputs: [valueInfo('out', 'float', null)],
    initializers: [floatTensor('conv1.weight', [4, 3, 3, 3], RESNET_CONV1), ...convs.map((_, k) => weight(k))],
    nodes: [
      node('Conv', ['input', 'conv1.weight'], ['c0'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, '/conv1/Conv'),
      node('Relu', ['c0'], ['r0'], {}, '/relu/Relu'),
      ...convs.map((name, k) => node('Conv', [k === 0 ? 'r0' : `c${k}`, `onnx::Conv_${k}`], [`c${k + 1}`], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, name)),
      node('FrobnicateTensor', [`c${convs.length}`], ['out'], {}, '/head/Frob'),
    ],
  });
}

/** A valid model whose one node is an op no runtime implements. */
export function unsupportedOpModel(): Uint8Array {
  return buildModel({
    inputs: [valueInfo('x', 'float', [1, 4])],
    outputs: [valueInfo('y', 'float', [1, 4])],
    nodes: [node('Relu', ['x'], ['r'], {}, 'relu'), node('FrobnicateTensor', ['r'], ['y'], {}, 'frob')],
  });
}

/** A model that only adds int64s: nothing to show as an activation. */
export function intOnlyModel(): Uint8Array {
  return buildModel({
    inputs: [valueInfo('ids', 'int64', [1, 4])],
    outputs: [valueInfo('out', 'int64', [1, 4])],
    initializers: [int64Tensor('one', [1], [1])],
    nodes: [node('Add', ['ids', 'one'], ['sum'], {}, 'add'), node('Mul', ['sum', 'sum'], ['out'], {}, 'square')],
  });
}

/** A model whose IR version is newer than the runtime reads. */
export function futureIrModel(irVersion: number): Uint8Array {
  return buildModel({ ...relu4(), irVersion });
}

/** A one-node model: Relu on a [1, 4] float input. */
export function relu4() {
  return {
    inputs: [valueInfo('x', 'float', [1, 4])],
    outputs: [valueInfo('y', 'float', [1, 4])],
    nodes: [node('Relu', ['x'], ['y'], {}, 'relu')],
  };
}

/**
 * A model that never finishes: a Loop of 10^15 iterations whose body adds 1,
 * the way a runaway model spins inside the native runtime.
 */
export function endlessLoopModel(): Uint8Array {
  const bool = (name: string) => create(onnx.TensorProtoSchema, { name, dims: [], dataType: 9, rawData: Uint8Array.of(1) });
  const body = graph({
    name: 'body',
    inputs: [valueInfo('i', 'int64', []), valueInfo('c_in', 'bool', []), valueInfo('v_in', 'float', [1])],
    outputs: [valueInfo('c_out', 'bool', []), valueInfo('v_out', 'float', [1])],
    initializers: [floatTensor('step', [1], [1])],
    nodes: [node('Identity', ['c_in'], ['c_out']), node('Add', ['v_in', 'step'], ['v_out'])],
  });
  return buildModel({
    inputs: [valueInfo('x', 'float', [1])],
    outputs: [valueInfo('y', 'float', [1])],
    initializers: [int64Tensor('trips', [], [1e15]), bool('go')],
    nodes: [node('Loop', ['trips', 'go', 'x'], ['y'], { body: { graph: body } }, 'spin')],
  });
}
