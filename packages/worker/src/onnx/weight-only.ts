/**
 * Weight-only nodes compute from weights alone (an `Identity` of a bias, a Clip's `Constant`
 * bounds): parameters of the layers that read them, so cnnvis folds them in, as Netron does.
 * @module
 */
import type { TensorInfo } from '@cnnvis/protocol';
import type { GraphProto, NodeProto } from './onnx-schema';
import { onnx } from './onnx-schema';
import { dtypeName, elementCount, initializerInfo } from './tensor-type';

/** A weight as its readers see it: type, and the stored tensors (initializers, Constants) it comes from. */
export interface WeightTensor {
  dtype: string;
  shape: TensorInfo['shape'];
  /** Stored tensor name → its element count. */
  sources: Map<string, number>;
}

export interface FoldedWeights {
  /** Indexes of the weight-only nodes. */
  folded: Set<number>;
  /** Every initializer and every output of a weight-only node. */
  weights: Map<string, WeightTensor>;
}

/** If/Loop/Scan bodies may read any outer tensor, so such a node is never folded. */
function hasSubgraph(n: NodeProto): boolean {
  const T = onnx.AttributeProto_AttributeType;
  return n.attribute.some((a) => a.type === T.GRAPH || a.type === T.GRAPHS);
}

const isDefaultDomain = (n: NodeProto) => n.domain === '' || n.domain === 'ai.onnx';

/** A Constant's value tensor (random generators have no inputs either, but are no weights). */
function constantValue(n: NodeProto) {
  if (!isDefaultDomain(n) || n.opType !== 'Constant') return undefined;
  return n.attribute.find((a) => a.name === 'value')?.t;
}

/** What a weight-only node's output is: a Constant's value, a shape-keeping op's input shape, else unknown. */
function outputOf(n: NodeProto, inputs: WeightTensor[], declared: TensorInfo | undefined): Omit<WeightTensor, 'sources'> {
  const value = constantValue(n);
  if (value) return { dtype: dtypeName(value.dataType), shape: value.dims.map(Number) };
  const first = inputs[0];
  const keepsShape = isDefaultDomain(n) && (n.opType === 'Identity' || n.opType === 'Cast');
  if (declared) return { dtype: declared.dtype, shape: declared.shape };
  return { dtype: n.opType === 'Identity' ? (first?.dtype ?? 'unknown') : 'unknown', shape: keepsShape ? (first?.shape ?? null) : null };
}

/** The weight-only nodes of a topologically ordered graph (one writing a graph output is none). */
export function foldWeights(g: GraphProto, declared: ReadonlyMap<string, TensorInfo>): FoldedWeights {
  const weights = new Map<string, WeightTensor>();
  for (const t of g.initializer) {
    const i = initializerInfo(t);
    weights.set(i.name, { dtype: i.dtype, shape: i.shape, sources: new Map([[i.name, i.params]]) });
  }
  for (const s of g.sparseInitializer) {
    if (!s.values) continue;
    const shape = s.dims.map(Number);
    weights.set(s.values.name, { dtype: dtypeName(s.values.dataType), shape, sources: new Map([[s.values.name, Number(s.values.dims[0] ?? 0)]]) });
  }
  const graphOutputs = new Set(g.output.map((o) => o.name));
  const folded = new Set<number>();
  g.node.forEach((n, i) => {
    const present = n.input.filter((t) => t !== '');
    const inputs = present.map((t) => weights.get(t));
    const value = constantValue(n);
    const fromWeights = present.length > 0 ? inputs.every((w) => w !== undefined) : value !== undefined;
    if (!fromWeights || hasSubgraph(n) || n.output.some((t) => graphOutputs.has(t))) return;
    folded.add(i);
    const known = inputs as WeightTensor[];
    const sources = new Map(known.flatMap((w) => [...w.sources]));
    for (const t of n.output) {
      if (t === '') continue;
      const own = value ? new Map([[t, elementCount(value.dims)]]) : sources;
      weights.set(t, { ...outputOf(n, known, declared.get(t)), sources: own });
    }
  });
  return { folded, weights };
}
