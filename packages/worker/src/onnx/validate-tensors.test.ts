import { create } from '@bufbuild/protobuf';
import { buildModel, floatTensor, int64Tensor, node, valueInfo } from '../../../../test/support/onnx-builder';
import { externalDataModels, externalFloats, functionConstantModel, sparseInitializerModel } from '../../../../test/support/external-data-models';
import type { WorkerError } from '../worker-error';
import { checkModel } from './check-model';
import { decodeModel } from './decode-model';
import { onnx, type GraphProto } from './onnx-schema';
import { checkInputShapes, checkTensorData, checkTensors } from './validate-tensors';

const D = onnx.TensorProto_DataType;
const catchError = (f: () => void): WorkerError => {
  try {
    f();
  } catch (err) {
    return err as WorkerError;
  }
  throw new Error('expected a throw');
};
const tensor = (init: Parameters<typeof create<typeof onnx.TensorProtoSchema>>[1]) => create(onnx.TensorProtoSchema, { name: 't', ...init });

describe('checkTensorData', () => {
  it('accepts what exporters write: raw floats, typed int64s, scalars, empty tensors, strings', () => {
    expect(() => checkTensorData(floatTensor('w', [2, 3], [1, 2, 3, 4, 5, 6]), 'w')).not.toThrow();
    expect(() => checkTensorData(int64Tensor('shape', [2], [1, -1]), 'shape')).not.toThrow();
    expect(() => checkTensorData(floatTensor('s', [], [7]), 's')).not.toThrow();
    expect(() => checkTensorData(tensor({ dims: [0n, 4n], dataType: D.FLOAT }), 'empty')).not.toThrow();
    expect(() => checkTensorData(tensor({ dims: [2n], dataType: D.STRING, stringData: [Uint8Array.of(97), Uint8Array.of(98)] }), 'labels')).not.toThrow();
    expect(() => checkTensorData(tensor({ dims: [3n], dataType: D.INT4, rawData: Uint8Array.of(0x21, 0x03) }), 'int4')).not.toThrow();
  });

  it('names the tensor, its dims and what it holds when they disagree', () => {
    expect(() => checkTensorData(tensor({ dims: [2n, 2n], dataType: D.FLOAT, floatData: [1, 2, 3] }), "initializer 'w'")).toThrow(
      "initializer 'w' declares dims [2, 2] (4 float values, 16 bytes) but holds 3 values",
    );
    expect(() => checkTensorData(tensor({ dims: [2n], dataType: D.INT64, rawData: new Uint8Array(8) }), "initializer 'i'")).toThrow('but its raw_data holds 8 bytes');
    expect(() => checkTensorData(tensor({ dims: [2n], dataType: D.UNDEFINED, rawData: new Uint8Array(8) }), "initializer 'u'")).toThrow('has no element type');
  });

  it('checks the tensors of Constant nodes and of subgraph initializers too', () => {
    const lying = tensor({ name: 'v', dims: [4n], dataType: D.FLOAT, rawData: new Uint8Array(4) });
    const model = decodeModel(
      buildModel({ inputs: [valueInfo('x', 'float', [4])], outputs: [valueInfo('y', 'float', null)], nodes: [node('Constant', [], ['c'], { value: lying }, 'const'), node('Add', ['x', 'c'], ['y'])] }),
    );
    expect(() => checkTensors(model)).toThrow("tensor attribute 'value' of node 'const' declares dims [4] (4 float values, 16 bytes) but its raw_data holds 4 bytes");
  });
});

describe('checkTensors refuses external data wherever a tensor can be', () => {
  // Each would have ONNX Runtime read another stored model's file: the models folder holds them all.
  const other = `${'ab'.repeat(32)}.onnx`;
  it.each(externalDataModels(other).map((m) => [m.name, m.bytes, m.tensor] as const))('in a %s', (_name, bytes, tensor) => {
    const model = decodeModel(bytes);
    const err = catchError(() => checkModel(model));
    expect(err).toMatchObject({ code: 'BAD_MODEL' });
    expect(err.message).toMatch(tensor);
    expect(err.message).toContain(`keeps its data in an external file ('${other}')`);
  });

  it("refuses a sparse tensor's external indices as well as its values", () => {
    const model = sparseInitializerModel(other);
    const sparse = model.graph?.sparseInitializer[0];
    if (!sparse?.values || !sparse.indices) throw new Error('the builder makes a sparse initializer');
    sparse.values = floatTensor('w', [4], [1, 2, 3, 4]);
    sparse.indices = { ...externalFloats('w.indices', other, [4]), dataType: D.INT64 };
    expect(() => checkTensors(model)).toThrow(`indices of sparse initializer 'w' keeps its data in an external file ('${other}')`);
  });

  it('still accepts the same places holding their data inline', () => {
    const model = functionConstantModel(other);
    const constant = model.functions[0]?.node[0]?.attribute[0];
    if (!constant) throw new Error("the builder makes a function's Constant");
    constant.t = floatTensor('w', [1, 4], [1, 2, 3, 4]);
    expect(() => checkModel(model)).not.toThrow();
  });
});

describe('checkInputShapes', () => {
  const graphWithInput = (shape: Array<number | string>) =>
    decodeModel(buildModel({ inputs: [valueInfo('x', 'float', shape)], outputs: [valueInfo('y', 'float', null)], nodes: [node('Relu', ['x'], ['y'])] })).graph as GraphProto;

  it('accepts symbolic and ordinary dims, and refuses negative or unfeedable ones', () => {
    expect(() => checkInputShapes(graphWithInput(['batch', 3, 224, 224]))).not.toThrow();
    expect(() => checkInputShapes(graphWithInput([1, 3, 'h', -1]))).toThrow("input 'x' declares shape [1, 3, h, -1]: a dimension cannot be negative");
    expect(() => checkInputShapes(graphWithInput(['n', 65536, 65536]))).toThrow(/input 'x' declares shape \[n, 65536, 65536\], 4\.29e\+9 values/);
  });
});
