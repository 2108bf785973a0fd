/**
 * `parseModel`: ONNX bytes to the layer graph, the worker's one entry point
 * that the server calls in its own process (on upload), so it loads no
 * runtime and runs nothing.
 * @module
 */
import type { LayerGraph } from '@cnnvis/protocol';
import { checkModel } from './check-model';
import { decodeModel } from './decode-model';
import { buildLayerGraph } from './layer-graph';

/**
 * Reads an ONNX model's layer graph. Throws {@link ModelError} with code
 * BAD_MODEL (corrupt, text, truncated, no graph, empty graph, data that does
 * not match its dims, a cycle, a tensor nobody writes; see checkModel) or UNSUPPORTED
 * (IR version newer than ONNX Runtime reads), the message naming the problem.
 * @example
 * const graph = parseModel(readFileSync('resnet18.onnx'), sha256hex);
 * console.log(graph.nodes.length, graph.inputs[0]?.shape);
 */
export function parseModel(bytes: Uint8Array, modelId: string): LayerGraph {
  const model = decodeModel(bytes);
  checkModel(model);
  return buildLayerGraph(model, modelId);
}
