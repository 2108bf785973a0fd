import { fromBinary } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { sobelModel } from '../../../../test/support/test-models';
import { exposeOutputs } from './expose-outputs';
import { onnx } from './onnx-schema';

describe('exposeOutputs', () => {
  const model = sobelModel(4, 4);

  it('appends graph outputs that protobuf merges into the existing graph, leaving the original bytes as they were', () => {
    const bytes = exposeOutputs(model, ['conv_out']);
    expect(Buffer.from(bytes.subarray(0, model.length)).equals(Buffer.from(model))).toBe(true);
    const merged = fromBinary(onnx.ModelProtoSchema, bytes);
    expect(merged.graph?.output.map((o) => o.name)).toEqual(['edges', 'conv_out']);
    expect(merged.graph?.node).toHaveLength(2);
    expect(merged.graph?.initializer.map((i) => i.name)).toEqual(['sobel.weight', 'sobel.bias']);
    expect(merged.graph?.output[1]?.type).toBeUndefined();
  });

  it('handles names longer than 127 bytes (multi-byte length varints) and none at all', () => {
    const long = `/${'block/'.repeat(40)}Conv_output_0`;
    const merged = fromBinary(onnx.ModelProtoSchema, exposeOutputs(model, [long, 'x']));
    expect(merged.graph?.output.map((o) => o.name)).toEqual(['edges', long, 'x']);
    expect(exposeOutputs(model, [])).toBe(model);
  });

  it('gives a model that ONNX Runtime loads, inferring the exposed output types', async () => {
    const session = await ort.InferenceSession.create(exposeOutputs(model, ['conv_out']), { graphOptimizationLevel: 'disabled' });
    expect(session.outputNames).toEqual(['edges', 'conv_out']);
    expect(session.outputMetadata[1]).toMatchObject({ name: 'conv_out', isTensor: true, type: 'float32' });
    const out = await session.run({ image: new ort.Tensor('float32', new Float32Array(16).fill(1), [1, 1, 4, 4]) });
    expect(out['conv_out']?.dims).toEqual([1, 2, 4, 4]);
    await session.release();
  });
});
