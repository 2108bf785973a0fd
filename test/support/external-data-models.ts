/**
 * Models that keep a tensor's data in an external file, at each place a
 * tensor can hide besides the graph's initializers: a sparse initializer, a
 * Constant's `sparse_value`, a local function's Constant, and an initializer
 * of a subgraph inside a local function. Each computes y = x + w on a [1, 4]
 * float input, w being the external tensor, so ONNX Runtime would run it and
 * read `location` if nothing refused it. Used by the worker's unit tests and
 * the server's hostile-model tests.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { onnx, type ModelProto, type TensorProto } from './onnx';
import { graph, int64Tensor, node, valueInfo, type GraphSpec } from './onnx-builder';

const D = onnx.TensorProto_DataType;
const T = onnx.AttributeProto_AttributeType;
const FUNCTION_DOMAIN = 'cnnvis.test';

/** Four floats said to lie at byte 0 of `location`. */
export function externalFloats(name: string, location: string, dims: number[] = [1, 4]): TensorProto {
  const entry = (key: string, value: string) => create(onnx.StringStringEntryProtoSchema, { key, value });
  return create(onnx.TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: D.FLOAT,
    dataLocation: onnx.TensorProto_DataLocation.EXTERNAL,
    externalData: [entry('location', location), entry('offset', '0'), entry('length', '16')],
  });
}

/** A sparse [1, 4] tensor of four external values at linear indices 0…3. */
function sparseFloats(name: string, location: string) {
  return create(onnx.SparseTensorProtoSchema, { values: externalFloats(name, location, [4]), indices: int64Tensor(`${name}.indices`, [4], [0, 1, 2, 3]), dims: [1n, 4n] });
}

const x = () => valueInfo('x', 'float', [1, 4]);
const y = () => valueInfo('y', 'float', null);

function model(spec: GraphSpec, extra: Partial<Pick<ModelProto, 'functions'>> = {}): ModelProto {
  const opset = (domain: string, version: number) => create(onnx.OperatorSetIdProtoSchema, { domain, version: BigInt(version) });
  return create(onnx.ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'cnnvis-test',
    opsetImport: [opset('', 17), ...(extra.functions ? [opset(FUNCTION_DOMAIN, 1)] : [])],
    graph: graph(spec),
    ...extra,
  });
}

/** y = AddW(x), AddW a local function whose body is `nodes` (reading `a`, writing `b`). */
function withFunction(nodes: ReturnType<typeof node>[]): ModelProto {
  const fn = create(onnx.FunctionProtoSchema, {
    name: 'AddW',
    domain: FUNCTION_DOMAIN,
    input: ['a'],
    output: ['b'],
    node: nodes,
    opsetImport: [create(onnx.OperatorSetIdProtoSchema, { domain: '', version: 17n })],
  });
  return model({ inputs: [x()], outputs: [y()], nodes: [{ ...node('AddW', ['x'], ['y'], {}, 'call'), domain: FUNCTION_DOMAIN }] }, { functions: [fn] });
}

/** `graph.sparse_initializer` 'w' whose values are external. */
export function sparseInitializerModel(location: string): ModelProto {
  const m = model({ inputs: [x()], outputs: [y()], nodes: [node('Add', ['x', 'w'], ['y'], {}, 'add')] });
  m.graph?.sparseInitializer.push(sparseFloats('w', location));
  return m;
}

/** A Constant node 'const' whose `sparse_value` holds external values. */
export function sparseConstantModel(location: string): ModelProto {
  const constant = node('Constant', [], ['w'], {}, 'const');
  constant.attribute.push(create(onnx.AttributeProtoSchema, { name: 'sparse_value', type: T.SPARSE_TENSOR, sparseTensor: sparseFloats('w', location) }));
  return model({ inputs: [x()], outputs: [y()], nodes: [constant, node('Add', ['x', 'w'], ['y'], {}, 'add')] });
}

/** A local function whose Constant 'fn_const' has an external `value`. */
export function functionConstantModel(location: string): ModelProto {
  return withFunction([node('Constant', [], ['w'], { value: externalFloats('w', location) }, 'fn_const'), node('Add', ['a', 'w'], ['b'], {}, 'fn_add')]);
}

/** A local function with an If whose then-branch has an external initializer 'w'. */
export function functionSubgraphModel(location: string): ModelProto {
  const branch = (name: string, spec: Omit<GraphSpec, 'inputs' | 'name'>) => ({ graph: graph({ name, inputs: [], ...spec }) });
  const thenBranch = branch('then', { outputs: [valueInfo('then_out', 'float', [1, 4])], initializers: [externalFloats('w', location)], nodes: [node('Add', ['a', 'w'], ['then_out'], {}, 'then_add')] });
  const elseBranch = branch('else', { outputs: [valueInfo('else_out', 'float', [1, 4])], nodes: [node('Identity', ['a'], ['else_out'], {}, 'else_id')] });
  const yes = create(onnx.TensorProtoSchema, { name: 'yes', dims: [], dataType: D.BOOL, int32Data: [1] });
  return withFunction([node('Constant', [], ['cond'], { value: yes }, 'fn_cond'), node('If', ['cond'], ['b'], { then_branch: thenBranch, else_branch: elseBranch }, 'fn_if')]);
}

/** Each model with the tensor its refusal must name, encoded. */
export function externalDataModels(location: string): Array<{ name: string; bytes: Uint8Array; tensor: RegExp }> {
  const encode = (m: ModelProto) => toBinary(onnx.ModelProtoSchema, m);
  return [
    { name: 'sparse initializer', bytes: encode(sparseInitializerModel(location)), tensor: /values of sparse initializer 'w'/ },
    { name: "Constant's sparse_value", bytes: encode(sparseConstantModel(location)), tensor: /values of sparse tensor attribute 'sparse_value' of node 'const'/ },
    { name: "local function's Constant", bytes: encode(functionConstantModel(location)), tensor: /tensor attribute 'value' of node 'fn_const' in function 'cnnvis\.test\.AddW'/ },
    { name: 'subgraph in a local function', bytes: encode(functionSubgraphModel(location)), tensor: /initializer 'w' in subgraph 'then_branch' of node 'fn_if' in function 'cnnvis\.test\.AddW'/ },
  ];
}
