/**
 * Which tensors an analysis session exposes as outputs: every node output
 * except Constant nodes' (ONNX Runtime folds those into initializers when it
 * loads the model, so they are not computed) and those the model declares
 * non-float. Tensors of unknown type are exposed too; ONNX Runtime infers
 * their types, and the run fetches only the float ones.
 * @module
 */
import { basename, dirname, resolve } from 'node:path';
import { exposeOutputs } from '../onnx/expose-outputs';
import type { ModelProto } from '../onnx/onnx-schema';
import { FLOAT_DTYPES, tensorTypeOf } from '../onnx/tensor-type';
import { weightsInPlace } from '../onnx/weights-in-place';

/**
 * What ONNX Runtime is given for an analysis session of the model in
 * `modelPath` (decoded from its `bytes`): its tensors exposed as outputs and
 * its large weights referenced where they lie in that file (weights-in-place.ts),
 * with the folder the session must be told (weightsFolderOption).
 * @example
 * const { bytes: exposed, weightsFolder } = analysisModel(model, bytes, '/data/models/ab12….onnx');
 */
export function analysisModel(model: ModelProto, bytes: Uint8Array, modelPath: string): { bytes: Uint8Array; weightsFolder: string } {
  return {
    bytes: exposeOutputs(weightsInPlace(model, bytes, basename(modelPath)), exposedTensors(model)),
    weightsFolder: resolve(dirname(modelPath)),
  };
}

/**
 * Names to add as graph outputs (graph outputs already there are left out).
 * @example
 * exposedTensors(model); // ['/conv1/Conv_output_0', '/relu/Relu_output_0', …]
 */
export function exposedTensors(model: ModelProto): string[] {
  const g = model.graph;
  if (!g) return [];
  const already = new Set(g.output.map((o) => o.name));
  const declaredDtype = new Map<string, string>();
  for (const vi of g.valueInfo) {
    const t = tensorTypeOf(vi.type);
    declaredDtype.set(vi.name, t ? t.dtype : 'non-tensor');
  }
  const names: string[] = [];
  const seen = new Set<string>();
  for (const n of g.node) {
    if (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx')) continue;
    for (const t of n.output) {
      if (t === '' || already.has(t) || seen.has(t)) continue;
      const dtype = declaredDtype.get(t);
      if (dtype !== undefined && !FLOAT_DTYPES.has(dtype)) continue;
      seen.add(t);
      names.push(t);
    }
  }
  return names;
}
