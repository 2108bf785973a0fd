/**
 * Which execution providers can really create a session here: the CPU always, CUDA when a
 * CUDA session on a one-node model opens.
 * @module
 */
import * as ort from 'onnxruntime-node';
import { create, toBinary } from '@bufbuild/protobuf';
import { onnx } from '../onnx/onnx-schema';

/** A one-node model (Relu on a float [1]) to open probe sessions on. */
function probeModel(): Uint8Array {
  const vi = (name: string) =>
    create(onnx.ValueInfoProtoSchema, {
      name,
      type: { value: { case: 'tensorType', value: { elemType: onnx.TensorProto_DataType.FLOAT, shape: { dim: [{ value: { case: 'dimValue', value: 1n } }] } } } },
    });
  return toBinary(
    onnx.ModelProtoSchema,
    create(onnx.ModelProtoSchema, {
      irVersion: 8n,
      opsetImport: [{ domain: '', version: 13n }],
      graph: { name: 'probe', node: [{ opType: 'Relu', input: ['x'], output: ['y'] }], input: [vi('x')], output: [vi('y')] },
    }),
  );
}

/** `['cpu']` or `['cuda', 'cpu']`. */
export async function probeProviders(): Promise<string[]> {
  try {
    const s = await ort.InferenceSession.create(probeModel(), { executionProviders: ['cuda'], logSeverityLevel: 4 });
    await s.release();
    return ['cuda', 'cpu'];
  } catch {
    return ['cpu'];
  }
}
