/**
 * The benchmark's floor: plain ONNX Runtime running a model with every float intermediate tensor
 * exposed and fetched, with an analysis's session settings and nothing else, so the difference
 * to `analyzeModel` is cnnvis's own overhead.
 * @module
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { decodeModel } from '../onnx/decode-model';
import { buildLayerGraph } from '../onnx/layer-graph';
import { elementCount } from '../onnx/tensor-type';
import { analysisSessionOptions } from '../runtime/open-session';
import { analysisModel } from '../runtime/exposed-tensors';
import { runError, sessionError } from '../runtime/ort-errors';
import { ORT_FLOAT_TYPES } from '../stats/float-view';
import { singleInput } from './input-tensor';

export interface BareRunner {
  /** Milliseconds to read, expose and create the session. */
  sessionMs: number;
  /** The float tensors each run fetches. */
  fetches: string[];
  /** One run; resolves with its wall time in milliseconds and the fetched tensors' shapes. */
  run(input: { data: Float32Array; shape: number[] }): Promise<{ runMs: number; shapes: Record<string, number[]> }>;
  close(): Promise<void>;
}

/**
 * A session to time repeatedly.
 * @example
 * const bare = await createBareRunner('convnet.onnx');
 * for (let i = 0; i < 10; i++) times.push((await bare.run(input)).runMs);
 * await bare.close();
 */
export async function createBareRunner(modelPath: string, provider: 'cpu' | 'cuda' = 'cpu'): Promise<BareRunner> {
  const started = performance.now();
  const bytes = await readFile(modelPath);
  const model = decodeModel(bytes);
  const input = singleInput(buildLayerGraph(model, '').inputs);
  let session: ort.InferenceSession;
  try {
    const exposed = analysisModel(model, bytes, modelPath);
    session = await ort.InferenceSession.create(exposed.bytes, analysisSessionOptions(provider, exposed.weightsFolder));
  } catch (err) {
    throw sessionError(err);
  }
  const fetches = session.outputMetadata.filter((o) => o.isTensor && ORT_FLOAT_TYPES.has(o.type)).map((o) => o.name);
  // By input shape, float32 output buffers, as an analysis has (ORT's are fresh every run).
  const reserved = new Map<string, Record<string, ort.Tensor> | null>();
  return {
    sessionMs: performance.now() - started,
    fetches,
    async run({ data, shape }) {
      const key = shape.join(',');
      const outputs = reserved.get(key);
      const t0 = performance.now();
      let out: ort.InferenceSession.ReturnType;
      try {
        out = await session.run({ [input.name]: new ort.Tensor('float32', data, shape) }, outputs ?? fetches);
      } catch (err) {
        throw runError(err);
      }
      const runMs = performance.now() - t0;
      const shapes = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.dims.map(Number)]));
      if (outputs === undefined) {
        const float32 = Object.values(out).every((t) => t.type === 'float32');
        reserved.set(key, float32 ? Object.fromEntries(Object.entries(shapes).map(([k, d]) => [k, new ort.Tensor('float32', new Float32Array(elementCount(d)), d)])) : null);
      }
      if (!outputs) for (const t of Object.values(out)) t.dispose();
      return { runMs, shapes };
    },
    close: () => session.release(),
  };
}
