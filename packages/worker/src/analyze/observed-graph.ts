/**
 * The layer graph with what a run saw: each edge's shape and dtype as observed (fetched tensors)
 * or as ONNX Runtime inferred them (the rest), where the model declared none.
 * @module
 */
import type { Edge, LayerGraph } from '@cnnvis/protocol';
import type { InferenceSession } from 'onnxruntime-node';

/** ORT's type names that differ from ONNX's. */
const ONNX_NAME: Record<string, string> = { float32: 'float', float64: 'double' };

/**
 * A copy of `graph` whose edges carry the shapes a run observed, and where the model declared
 * none, the dtypes and shapes ONNX Runtime inferred.
 */
export function observedGraph(
  graph: LayerGraph,
  observed: ReadonlyMap<string, readonly number[]>,
  metadata: readonly InferenceSession.ValueMetadata[],
): LayerGraph {
  const inferred = new Map(metadata.map((m) => [m.name, m]));
  const edges = graph.edges.map((e): Edge => {
    const seen = observed.get(e.tensor);
    const meta = inferred.get(e.tensor);
    const metaType = meta?.isTensor ? (ONNX_NAME[meta.type] ?? meta.type) : null;
    const metaShape = meta?.isTensor ? meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : typeof d === 'string' && d ? d : null)) : null;
    return { ...e, to: [...e.to], dtype: e.dtype ?? metaType, shape: seen ? [...seen] : (e.shape ?? metaShape) };
  });
  return { ...graph, edges };
}
