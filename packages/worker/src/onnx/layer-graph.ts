/**
 * A decoded ModelProto as the layer graph cnnvis shows: layers (nodes), the tensors between them
 * (edges), and apart, the graph inputs and the weights. Weight-only nodes are marked `folded`.
 * @module
 */
import type { Edge, LayerGraph, LayerNode, TensorInfo } from '@cnnvis/protocol';
import { simplifyAttributes } from './attributes';
import { nameGroups } from './name-groups';
import type { ModelProto } from './onnx-schema';
import { initializerInfo, tensorInfoOf } from './tensor-type';
import { foldWeights } from './weight-only';

/**
 * The layer graph cnnvis shows of a decoded model. Node ids are node names, `op_<index>` for
 * none, `<name>#<index>` for a repeat; weight-only nodes are marked `folded` (weight-only.ts).
 */
export function buildLayerGraph(model: ModelProto, modelId: string): LayerGraph {
  const g = model.graph;
  if (!g) throw new Error('buildLayerGraph needs a model with a graph');
  const initializers = g.initializer.map(initializerInfo);
  const declared = new Map<string, TensorInfo>();
  for (const vi of [...g.valueInfo, ...g.input, ...g.output]) declared.set(vi.name, tensorInfoOf(vi));
  const { folded, weights: weightOf } = foldWeights(g, declared);
  for (const [name, w] of weightOf) if (!declared.has(name)) declared.set(name, { name, dtype: w.dtype, shape: w.shape });

  // Older IR versions list initializers among the inputs too; they are weights, not inputs.
  const inputs = g.input.filter((vi) => !weightOf.has(vi.name)).map(tensorInfoOf);
  const outputs = g.output.map(tensorInfoOf);

  const used = new Set<string>();
  const nodes: LayerNode[] = g.node.map((n, i) => {
    let id = n.name || `op_${i}`;
    if (used.has(id)) id = `${id}#${i}`;
    used.add(id);
    const present = n.input.filter((t) => t !== ''); // '' marks an omitted optional input
    const weights = present.filter((t) => weightOf.has(t));
    // Counted once per stored tensor, however many folded nodes lead to it.
    const sources = new Map(weights.flatMap((w) => [...(weightOf.get(w)?.sources ?? [])]));
    return {
      id,
      op: n.domain && n.domain !== 'ai.onnx' ? `${n.domain}.${n.opType}` : n.opType,
      groups: nameGroups(n.name),
      attributes: simplifyAttributes(n.attribute),
      params: [...sources.values()].reduce((sum, p) => sum + p, 0),
      inputs: present.filter((t) => !weightOf.has(t)),
      weights,
      outputs: n.output.filter((t) => t !== ''),
      ...(folded.has(i) ? { folded: true } : {}),
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
  // A folded node's outputs are weights of their readers, but the raw graph draws those edges too.
  for (const n of nodes) {
    for (const t of new Set([...n.inputs, ...n.weights])) edges.get(t)?.to.push(n.id);
  }
  return [...edges.values()];
}
