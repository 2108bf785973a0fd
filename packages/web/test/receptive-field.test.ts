/** Receptive fields walked back through kernels, strides, paddings and dilations, checked against sums done by hand. */
import type { Edge, LayerGraph, LayerNode } from '@cnnvis/protocol';
import { receptiveField, windowAxes, windowInput } from '../src/graph/receptive-field';

type Spec = [op: string, inputs: string[], output: string, attributes?: LayerNode['attributes'], weights?: string[]];
function graphOf(shapes: Record<string, number[]>, specs: Spec[], initializers: LayerGraph['initializers'] = []): Pick<LayerGraph, 'nodes' | 'edges' | 'initializers'> {
  const nodes = specs.map(([op, inputs, output, attributes = {}, weights = []], i): LayerNode => ({ id: `n${i}`, op, groups: [], attributes, params: 0, inputs, weights, outputs: [output] }));
  const edges = Object.entries(shapes).map(([tensor, shape]): Edge => ({ tensor, from: null, to: [], dtype: 'float', shape }));
  return { nodes, edges, initializers };
}

test('one axis: output o reads o·s − p … o·s − p + (k − 1)·d, clipped to the input', () => {
  expect(windowInput({ kernel: 3, stride: 1, dilation: 1, padBegin: 1 }, 0, 1, 8)).toEqual([0, 2]); // the pad is cut off
  expect(windowInput({ kernel: 3, stride: 2, dilation: 1, padBegin: 1 }, 3, 4, 16)).toEqual([5, 8]);
  expect(windowInput({ kernel: 3, stride: 1, dilation: 2, padBegin: 2 }, 3, 4, 8)).toEqual([1, 6]);
  expect(windowInput({ kernel: 7, stride: 2, dilation: 1, padBegin: 3 }, 10, 12, 224)).toEqual([17, 26]);
});

test("SAME_UPPER pads the end more, SAME_LOWER the start, as ONNX splits them; a missing kernel_shape comes from the weight", () => {
  // in 7, out 4, k 3, s 2: total pad (4−1)·2 + 3 − 7 = 2 → 1 before either way; in 8, out 4: total 1.
  expect(windowAxes({ attributes: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' } }, null, [8, 8], [4, 4])?.[0]).toMatchObject({ padBegin: 0 });
  expect(windowAxes({ attributes: { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_LOWER' } }, null, [8, 8], [4, 4])?.[0]).toMatchObject({ padBegin: 1 });
  expect(windowAxes({ attributes: { pads: [1, 2, 1, 2] } }, [16, 3, 3, 5], [8, 8], [8, 8])).toEqual([
    { kernel: 3, stride: 1, dilation: 1, padBegin: 1 },
    { kernel: 5, stride: 1, dilation: 1, padBegin: 2 },
  ]);
});

test('the maps test model: conv k3 s2 p1, relu, maxpool k3 s2 p1, conv k3 dilation 2 p2 (worked by hand)', () => {
  const g = graphOf(
    { image: [1, 3, 32, 32], s: [1, 8, 16, 16], sr: [1, 8, 16, 16], p: [1, 8, 8, 8], w: [1, 130, 8, 8] },
    [
      ['Conv', ['image'], 's', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }],
      ['Relu', ['s'], 'sr'],
      ['MaxPool', ['sr'], 'p', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }],
      ['Conv', ['p'], 'w', { kernel_shape: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2] }],
    ],
  );
  const boxes = receptiveField(g, 'w', { x0: 5, y0: 3, x1: 6, y1: 4 });
  // w(3, 5) reads p rows 3−2 … 3−2+4 = 1 … 5, columns 3 … 7;
  // p rows 1 … 5 read sr rows 2·1−1 … 2·5−1+2 = 1 … 11, columns 5 … 15;
  // s rows 1 … 11 read image rows 2·1−1 … 2·11−1+2 = 1 … 23, columns 9 … 31.
  expect(boxes.get('p')).toEqual({ x0: 3, y0: 1, x1: 8, y1: 6 });
  expect(boxes.get('sr')).toEqual({ x0: 5, y0: 1, x1: 16, y1: 12 });
  expect(boxes.get('image')).toEqual({ x0: 9, y0: 1, x1: 32, y1: 24 });
});

test("ResNet's stem: one pixel after conv 7×7 s2 p3 and maxpool 3×3 s2 p1 sees 11×11 input pixels", () => {
  const g = graphOf(
    { input: [1, 3, 224, 224], c: [1, 64, 112, 112], m: [1, 64, 56, 56] },
    [
      ['Conv', ['input'], 'c', { strides: [2, 2], pads: [3, 3, 3, 3] }, ['conv1.weight']],
      ['MaxPool', ['c'], 'm', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }],
    ],
    [{ name: 'conv1.weight', dtype: 'float', shape: [64, 3, 7, 7], params: 9408 }],
  );
  // maxpool o reads conv 2o−1 … 2o+1, which read input 2(2o−1)−3 … 2(2o+1)+3 = 4o−5 … 4o+5.
  expect(receptiveField(g, 'm', { x0: 10, y0: 20, x1: 11, y1: 21 }).get('input')).toEqual({ x0: 35, y0: 75, x1: 46, y1: 86 });
});

test('paths that meet join into their bounding box; global pools and flat outputs read the whole plane; resizes scale', () => {
  const residual = graphOf(
    { x: [1, 4, 16, 16], a: [1, 4, 16, 16], b: [1, 4, 16, 16], y: [1, 4, 16, 16] },
    [
      ['Conv', ['x'], 'a', { kernel_shape: [5, 5], pads: [2, 2, 2, 2] }],
      ['Conv', ['a'], 'b', { kernel_shape: [1, 1] }],
      ['Add', ['b', 'x'], 'y'],
    ],
  );
  // Through the 5×5 conv: 6 … 10; straight through the skip: 8 only; joined: 6 … 10.
  expect(receptiveField(residual, 'y', { x0: 8, y0: 8, x1: 9, y1: 9 }).get('x')).toEqual({ x0: 6, y0: 6, x1: 11, y1: 11 });

  const head = graphOf(
    { x: [1, 4, 8, 8], r: [1, 4, 16, 16], g: [1, 4, 1, 1], f: [1, 4] },
    [
      ['Resize', ['x'], 'r'],
      ['GlobalAveragePool', ['r'], 'g'],
      ['Flatten', ['g'], 'f'],
    ],
  );
  expect(receptiveField(head, 'r', { x0: 3, y0: 5, x1: 4, y1: 6 }).get('x')).toEqual({ x0: 1, y0: 2, x1: 2, y1: 3 });
  expect(receptiveField(head, 'g', { x0: 0, y0: 0, x1: 1, y1: 1 }).get('x')).toEqual({ x0: 0, y0: 0, x1: 8, y1: 8 });
  expect(receptiveField(head, 'f', { x0: 0, y0: 0, x1: 1, y1: 1 }).get('r')).toEqual({ x0: 0, y0: 0, x1: 16, y1: 16 });
});
