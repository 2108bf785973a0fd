import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fromBinary } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { decodeModel } from './decode-model';
import { exposeOutputs } from './expose-outputs';
import { onnx, type TensorProto } from './onnx-schema';
import { IN_PLACE_MIN_BYTES, weightsFolderOption, weightsInPlace } from './weights-in-place';

const FILE = join(__dirname, '..', '..', 'test', 'fixtures', 'convnet.onnx');

describe('weightsInPlace', () => {
  const bytes = readFileSync(FILE);
  const model = decodeModel(bytes);
  const skeleton = weightsInPlace(model, bytes, 'convnet.onnx');
  const ext = (t: TensorProto, key: string) => t.externalData.find((e) => e.key === key)?.value;

  it('points each large initializer at its own bytes inside the file and keeps the small ones inline', () => {
    const out = fromBinary(onnx.ModelProtoSchema, skeleton);
    const large = model.graph!.initializer.filter((t) => t.rawData.length >= IN_PLACE_MIN_BYTES);
    expect(large.length).toBeGreaterThan(0);
    expect(skeleton.length).toBeLessThan(bytes.length / 50);
    for (const [i, t] of out.graph!.initializer.entries()) {
      const original = model.graph!.initializer[i]!;
      expect(t.name).toBe(original.name);
      if (original.rawData.length < IN_PLACE_MIN_BYTES) {
        expect(Buffer.from(t.rawData).equals(Buffer.from(original.rawData))).toBe(true);
        continue;
      }
      expect(t.dataLocation).toBe(onnx.TensorProto_DataLocation.EXTERNAL);
      expect(ext(t, 'location')).toBe('convnet.onnx');
      const offset = Number(ext(t, 'offset'));
      const length = Number(ext(t, 'length'));
      expect(Buffer.from(bytes.subarray(offset, offset + length)).equals(Buffer.from(original.rawData))).toBe(true);
    }
    // The decoded model the worker keeps still holds its weights.
    expect(large.every((t) => t.rawData.length >= IN_PLACE_MIN_BYTES && t.externalData.length === 0)).toBe(true);
    expect(out.graph!.node).toEqual(model.graph!.node);
  });

  it('leaves a model alone when its weights are not views into the given bytes', () => {
    expect(weightsInPlace(model, Buffer.from(bytes), 'convnet.onnx')).toHaveLength(bytes.length);
  });

  it('runs in ONNX Runtime, reading the weights from the file, exactly as the whole model does', async () => {
    const opts = { graphOptimizationLevel: 'disabled' } as const;
    const mapped = await ort.InferenceSession.create(exposeOutputs(skeleton, ['/conv1/Conv_output_0']), {
      ...opts,
      extra: { session: weightsFolderOption(dirname(FILE)) },
    });
    const whole = await ort.InferenceSession.create(exposeOutputs(bytes, ['/conv1/Conv_output_0']), opts);
    const input = whole.inputMetadata[0]!;
    const shape = (input as { shape: readonly (number | string)[] }).shape.map((d) => (typeof d === 'number' ? d : 1));
    const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i));
    const feeds = { [input.name]: new ort.Tensor('float32', data, shape) };
    const [a, b] = [await whole.run(feeds), await mapped.run(feeds)];
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) expect(b[k]!.data).toEqual(a[k]!.data);
    await Promise.all([mapped.release(), whole.release()]);
  });

  it('is refused by ONNX Runtime without the folder, so a missing option cannot go unnoticed', async () => {
    await expect(ort.InferenceSession.create(skeleton)).rejects.toThrow(/external data/i);
  });
});
