import { create } from '@bufbuild/protobuf';
import { onnx } from '../../../../test/support/onnx';
import { floatTensor, node } from '../../../../test/support/onnx-builder';
import type { TensorProto } from '../onnx/onnx-schema';
import type { LoadedModel } from '../runtime/loaded-model';
import { weightDiffs } from './weight-diff';

/** An int8 initializer in raw bytes. */
const int8 = (name: string, dims: number[], values: number[]): TensorProto =>
  create(onnx.TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: onnx.TensorProto_DataType.INT8, rawData: new Uint8Array(Int8Array.from(values).buffer) });

/** Just what weightDiffs reads of a loaded model: its initializers and nodes. */
const model = (inits: TensorProto[], nodes: ReturnType<typeof node>[] = []) =>
  ({ initializer: new Map(inits.map((t) => [t.name, t])), model: { graph: { node: nodes } } }) as unknown as LoadedModel;

test('float weights: ‖A − B‖ / ‖A‖ over the pairs together; unpaired weights give null', () => {
  const a = model([floatTensor('w', [2], [3, 4]), floatTensor('b', [1], [0])]);
  const b = model([floatTensor('w', [2], [3, 4]), floatTensor('b', [1], [5]), floatTensor('v', [3], [1, 2, 3])]);
  expect(weightDiffs(a, b, [{ node: 'n', a: ['w', 'b'], b: ['w', 'b'] }])).toEqual([{ node: 'n', relL2: 1 }]);
  expect(weightDiffs(a, b, [{ node: 'n', a: ['w'], b: ['v'] }, { node: 'm', a: ['w'], b: [] }])).toEqual([{ node: 'n', relL2: null }, { node: 'm', relL2: null }]);
});

test("a QDQ copy's weights are dequantised, per tensor or per output channel (axis 0)", () => {
  const a = model([floatTensor('w', [2, 2], [1, 2, 30, 40])]);
  const perTensor = model(
    [int8('q', [2, 2], [1, 2, 30, 40]), floatTensor('s', [], [1]), int8('z', [], [0])],
    [node('DequantizeLinear', ['q', 's', 'z'], ['w_dq'])],
  );
  expect(weightDiffs(a, perTensor, [{ node: 'n', a: ['w'], b: ['w_dq'] }])).toEqual([{ node: 'n', relL2: 0 }]);
  // Channel 0 at scale 1, channel 1 at scale 10 with zero point 1: (4 − 1)·10 = 30, (5 − 1)·10 = 40.
  const perAxis = model(
    [int8('q', [2, 2], [1, 2, 4, 5]), floatTensor('s', [2], [1, 10]), int8('z', [2], [0, 1])],
    [node('DequantizeLinear', ['q', 's', 'z'], ['w_dq'], { axis: 0 })],
  );
  expect(weightDiffs(a, perAxis, [{ node: 'n', a: ['w'], b: ['w_dq'] }])).toEqual([{ node: 'n', relL2: 0 }]);
});
