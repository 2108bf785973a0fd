/**
 * `parseModel`: ONNX bytes to the layer graph, checked, loading no runtime and running nothing.
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';
import { checkModel } from './check-model';
import { decodeModel } from './decode-model';
import { buildLayerGraph } from './layer-graph';

/**
 * Reads an ONNX model's layer graph, loading no runtime. Throws {@link ModelError} BAD_MODEL
 * or UNSUPPORTED, the message naming the problem.
 * @example
 * const graph = parseModel(readFileSync('resnet18.onnx'), sha256hex);
 */
export function parseModel(bytes: Uint8Array, modelId: string): LayerGraph {
  const model = decodeModel(bytes);
  checkModel(model);
  return buildLayerGraph(model, modelId);
}
