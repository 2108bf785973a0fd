/**
 * A decoded ModelProto as the layer graph cnnvis shows: layers (nodes), the
 * tensors flowing between them (edges), and, kept apart, the graph inputs and
 * the initializers (weights).
 * @module
 */
import type { Edge, LayerGraph, LayerNode, TensorInfo } from '@cnnvis/protocol';
import { simplifyAttributes } from './attributes';
import { nameGroups } from './name-groups';
import type { ModelProto } from './onnx-schema';
import { initializerInfo, tensorInfoOf } from './tensor-type';

/**
 * Builds the layer graph of a decoded model (see {@link decodeModel}).
 * Node ids are node names, `op_<index>` where a node has none, and
 * `<name>#<index>` where a name repeats. Subgraphs (If/Loop bodies) show as
 * one node each.
 * @example
 * const graph = buildLayerGraph(decodeModel(bytes), modelId);
 */
export function buildLayerGraph(model: ModelProto, modelId: string): LayerGraph {
  const g = model.graph;
  if (!g) throw new Error('buildLayerGraph needs a model with a graph');
  const initializers = g.initializer.map(initializerInfo);
  const paramsOf = new Map(initializers.map((i) => [i.name, i.params]));
  for (const s of g.sparseInitializer) if (s.values) paramsOf.set(s.values.name, Number(s.values.dims[0] ?? 0));

  // Older IR versions list initializers among the inputs too; they are weights, not inputs.
  const inputs = g.input.filter((vi) => !paramsOf.has(vi.name)).map(tensorInfoOf);
  const outputs = g.output.map(tensorInfoOf);
  const declared = new Map<string, TensorInfo>();
  for (const vi of [...g.valueInfo, ...g.input, ...g.output]) declared.set(vi.name, tensorInfoOf(vi));

  const used = new Set<string>();
  const nodes: LayerNode[] = g.node.map((n, i) => {
    let id = n.name || `op_${i}`;
    if (used.has(id)) id = `${id}#${i}`;
    used.add(id);
    const present = n.input.filter((t) => t !== ''); // '' marks an omitted optional input
    const weights = present.filter((t) => paramsOf.has(t));
    const params = [...new Set(weights)].reduce((sum, w) => sum + (paramsOf.get(w) ?? 0), 0);
    return {
      id,
      op: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType,
      groups: nameGroups(n.name),
      attributes: simplifyAttributes(n.attribute),
      params,
      inputs: present.filter((t) => !paramsOf.has(t)),
      weights,
      outputs: n.output.filter((t) => t !== ''),
    };
  });

  return {
    modelId,
    irVersion: Number(model.irVersion),
    opsets: Object.fromEntries(model.opsetImport.map((o) => [o.domain || 'ai.onnx', Number(o.version)])),
    producer: [model.producerName, model.producerVersion].filter(Boolean).join(' '),
    inputs,
    outputs,
    initializers,
    nodes,
    edges: buildEdges(inputs, nodes, declared),
  };
}

/** One edge per tensor that a graph input or a node produces, with its consumers. */
function buildEdges(inputs: TensorInfo[], nodes: LayerNode[], declared: Map<string, TensorInfo>): Edge[] {
  const edges = new Map<string, Edge>();
  const add = (tensor: string, from: string | null) => {
    const d = declared.get(tensor);
    edges.set(tensor, { tensor, from, to: [], dtype: d?.dtype ?? null, shape: d?.shape ?? null });
  };
  for (const i of inputs) add(i.name, null);
  for (const n of nodes) for (const t of n.outputs) add(t, n.id);
  for (const n of nodes) {
    for (const t of new Set(n.inputs)) edges.get(t)?.to.push(n.id);
  }
  return [...edges.values()];
}
