/** What ONNX Runtime is given for an analysis session. @module */
import { basename, dirname, resolve } from 'node:path';
import { exposeOutputs } from '../onnx/expose-outputs';
import type { ModelProto } from '../onnx/onnx-schema';
import { FLOAT_DTYPES, tensorTypeOf } from '../onnx/tensor-type';
import { weightsInPlace } from '../onnx/weights-in-place';

/**
 * The model in `modelPath` with its tensors exposed as outputs and its large weights referenced
 * in place (weights-in-place.ts), and the folder the session must be told.
 */
export function analysisModel(model: ModelProto, bytes: Uint8Array, modelPath: string): { bytes: Uint8Array; weightsFolder: string } {
  return {
    bytes: exposeOutputs(weightsInPlace(model, bytes, basename(modelPath)), exposedTensors(model)),
    weightsFolder: resolve(dirname(modelPath)),
  };
}

/**
 * Names to add as graph outputs: every node output but Constants' (ORT folds them) and those
 * declared non-float; the run fetches only the float ones of those ORT infers.
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
