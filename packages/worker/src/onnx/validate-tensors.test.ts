import { create } from '@bufbuild/protobuf';
import { buildModel, floatTensor, int64Tensor, node, valueInfo } from '../../test/support/onnx-builder';
import { decodeModel } from './decode-model';
import { onnx, type GraphProto } from './onnx-schema';
import { checkInputShapes, checkTensorData, checkTensors } from './validate-tensors';

const D = onnx.TensorProto_DataType;
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
    const g = decodeModel(
      buildModel({ inputs: [valueInfo('x', 'float', [4])], outputs: [valueInfo('y', 'float', null)], nodes: [node('Constant', [], ['c'], { value: lying }, 'const'), node('Add', ['x', 'c'], ['y'])] }),
    ).graph as GraphProto;
    expect(() => checkTensors(g)).toThrow("tensor attribute 'value' of node 'const' declares dims [4] (4 float values, 16 bytes) but its raw_data holds 4 bytes");
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
