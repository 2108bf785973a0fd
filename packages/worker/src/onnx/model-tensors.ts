/**
 * Every TensorProto a ModelProto holds, found by one walk, so a check on tensors cannot miss a
 * place: one that looked only at initializers and dense attributes once let external data through
 * in sparse initializers, sparse attributes and local functions.
 * @module
 */
import type { AttributeProto, FunctionProto, GraphProto, ModelProto, NodeProto, SparseTensorProto, TensorProto } from './onnx-schema';
import { nodeLabel, subgraphLabel } from './subgraphs';

/** A tensor and how a message names it, e.g. `initializer 'w' in subgraph 'body' of node 'loop'`. */
export interface TensorSite {
  tensor: TensorProto;
  what: string;
}

/**
 * Every TensorProto a ModelProto holds (graphs, subgraphs, sparse tensors, attributes, local
 * functions, training info), in one walk so a check on tensors cannot miss a place.
 */
export function* modelTensors(model: ModelProto): Generator<TensorSite> {
  if (model.graph) yield* graphTensors(model.graph, '');
  for (const f of model.functions) yield* functionTensors(f);
  for (const [i, info] of model.trainingInfo.entries()) {
    if (info.initialization) yield* graphTensors(info.initialization, ` in training_info[${i}].initialization`);
    if (info.algorithm) yield* graphTensors(info.algorithm, ` in training_info[${i}].algorithm`);
  }
}

/** `where` is '' for the main graph, else ` in subgraph …` or ` in function …`, appended to each name. */
function* graphTensors(g: GraphProto, where: string): Generator<TensorSite> {
  for (const t of g.initializer) yield { tensor: t, what: `initializer '${t.name}'${where}` };
  for (const s of g.sparseInitializer) yield* sparseTensors(s, `sparse initializer '${s.values?.name ?? ''}'${where}`);
  yield* nodesTensors(g.node, where);
}

function* functionTensors(f: FunctionProto): Generator<TensorSite> {
  const label = `function '${f.domain ? `${f.domain}.` : ''}${f.name}'`;
  // The defaults of the function's attributes: ONNX Runtime puts them into the body it inlines.
  for (const a of f.attributeProto) yield* attributeTensors(a, label);
  yield* nodesTensors(f.node, ` in ${label}`);
}

function* nodesTensors(nodes: readonly NodeProto[], where: string): Generator<TensorSite> {
  for (const [i, n] of nodes.entries()) {
    for (const a of n.attribute) yield* attributeTensors(a, `${nodeLabel(n, i)}${where}`);
  }
}

/** `owner` names the attribute's holder: `node 'c'`, `node 'c' in function 'f'`. */
function* attributeTensors(a: AttributeProto, owner: string): Generator<TensorSite> {
  if (a.t) yield { tensor: a.t, what: `tensor attribute '${a.name}' of ${owner}` };
  for (const [k, t] of a.tensors.entries()) yield { tensor: t, what: `tensor attribute '${a.name}[${k}]' of ${owner}` };
  if (a.sparseTensor) yield* sparseTensors(a.sparseTensor, `sparse tensor attribute '${a.name}' of ${owner}`);
  for (const [k, s] of a.sparseTensors.entries()) yield* sparseTensors(s, `sparse tensor attribute '${a.name}[${k}]' of ${owner}`);
  if (a.g) yield* graphTensors(a.g, ` in ${subgraphLabel(a.name, owner)}`);
  for (const [k, g] of a.graphs.entries()) yield* graphTensors(g, ` in ${subgraphLabel(`${a.name}[${k}]`, owner)}`);
}

function* sparseTensors(s: SparseTensorProto, what: string): Generator<TensorSite> {
  if (s.values) yield { tensor: s.values, what: `values of ${what}` };
  if (s.indices) yield { tensor: s.indices, what: `indices of ${what}` };
}
