import { create, type MessageInitShape } from '@bufbuild/protobuf';
import { floatTensor, graph, node, valueInfo } from '../../../../test/support/onnx-builder';
import { modelTensors } from './model-tensors';
import { onnx, type TensorProto } from './onnx-schema';

const T = onnx.AttributeProto_AttributeType;
const t = (name: string) => floatTensor(name, [1], [0]);
const sparse = (name: string) => create(onnx.SparseTensorProtoSchema, { values: t(name), indices: t(`${name}.i`), dims: [1n] });
const attr = (init: MessageInitShape<typeof onnx.AttributeProtoSchema>) => create(onnx.AttributeProtoSchema, init);
/** A Constant node named and writing `name`, its value a tensor named `name` too. */
const leaf = (name: string) => node('Constant', [], [name], { value: t(name) }, name);
/** A node with one attribute of each kind that holds tensors; its subgraphs hold `inner` and a Constant. */
function everyAttribute(name: string, inner: TensorProto): ReturnType<typeof node> {
  const n = node('Op', [], [`${name}_out`], {}, name);
  const sub = graph({ name: 'sub', inputs: [], outputs: [], nodes: [], initializers: [inner] });
  n.attribute.push(
    attr({ name: 't', type: T.TENSOR, t: t(`${name}.t`) }),
    attr({ name: 'ts', type: T.TENSORS, tensors: [t(`${name}.ts0`)] }),
    attr({ name: 's', type: T.SPARSE_TENSOR, sparseTensor: sparse(`${name}.s`) }),
    attr({ name: 'ss', type: T.SPARSE_TENSORS, sparseTensors: [sparse(`${name}.ss0`)] }),
    attr({ name: 'g', type: T.GRAPH, g: sub }),
    attr({ name: 'gs', type: T.GRAPHS, graphs: [graph({ name: 'sub2', inputs: [], outputs: [], nodes: [leaf(`${name}.deep`)] })] }),
  );
  return n;
}

describe('modelTensors', () => {
  it('finds a tensor at every place a ModelProto can hold one, each named where it is', () => {
    const main = graph({ name: 'main', inputs: [valueInfo('x', 'float', [1])], outputs: [], initializers: [t('init')], nodes: [everyAttribute('n', t('n.sub'))] });
    main.sparseInitializer.push(sparse('sp'));
    const fn = create(onnx.FunctionProtoSchema, { name: 'F', domain: 'd', node: [leaf('f')], attributeProto: [attr({ name: 'dflt', type: T.TENSOR, t: t('f.dflt') })] });
    const training = create(onnx.TrainingInfoProtoSchema, {
      initialization: graph({ name: 'i', inputs: [], outputs: [], nodes: [], initializers: [t('ti')] }),
      algorithm: graph({ name: 'a', inputs: [], outputs: [], nodes: [], initializers: [t('ta')] }),
    });
    const model = create(onnx.ModelProtoSchema, { irVersion: 8n, graph: main, functions: [fn], trainingInfo: [training] });

    expect(Array.from(modelTensors(model), (s) => `${s.tensor.name}: ${s.what}`)).toEqual([
      "init: initializer 'init'",
      "sp: values of sparse initializer 'sp'",
      "sp.i: indices of sparse initializer 'sp'",
      "n.t: tensor attribute 't' of node 'n'",
      "n.ts0: tensor attribute 'ts[0]' of node 'n'",
      "n.s: values of sparse tensor attribute 's' of node 'n'",
      "n.s.i: indices of sparse tensor attribute 's' of node 'n'",
      "n.ss0: values of sparse tensor attribute 'ss[0]' of node 'n'",
      "n.ss0.i: indices of sparse tensor attribute 'ss[0]' of node 'n'",
      "n.sub: initializer 'n.sub' in subgraph 'g' of node 'n'",
      "n.deep: tensor attribute 'value' of node 'n.deep' in subgraph 'gs[0]' of node 'n'",
      "f.dflt: tensor attribute 'dflt' of function 'd.F'",
      "f: tensor attribute 'value' of node 'f' in function 'd.F'",
      "ti: initializer 'ti' in training_info[0].initialization",
      "ta: initializer 'ta' in training_info[0].algorithm",
    ]);
  });
});
