import { create } from '@bufbuild/protobuf';
import { buildModel, floatTensor, graph, node, valueInfo, type GraphSpec } from '../../../../test/support/onnx-builder';
import { endlessLoopModel, sobelModel } from '../../../../test/support/test-models';
import { decodeModel } from './decode-model';
import { onnx, type GraphProto } from './onnx-schema';
import { checkGraph } from './validate-graph';

const x = () => valueInfo('x', 'float', [1, 4]);
const y = () => valueInfo('y', 'float', null);
const graphOf = (spec: GraphSpec): GraphProto => decodeModel(buildModel(spec)).graph as GraphProto;
const cond = create(onnx.TensorProtoSchema, { name: 'cond', dims: [], dataType: onnx.TensorProto_DataType.BOOL, rawData: Uint8Array.of(1) });
/** A branch whose one node reads `reads` from the enclosing graph. */
const branch = (reads: string, out: string) => graph({ name: out, inputs: [], outputs: [valueInfo(out, 'float', [1, 4])], nodes: [node('Identity', [reads], [out])] });

describe('checkGraph', () => {
  it('accepts real models, subgraphs reading the outer scope included', () => {
    expect(() => checkGraph(graphOf({ inputs: [x()], outputs: [y()], initializers: [], nodes: [node('Relu', ['x'], ['y'])] }))).not.toThrow();
    expect(() => checkGraph(decodeModel(sobelModel(4, 4)).graph as GraphProto)).not.toThrow();
    expect(() => checkGraph(decodeModel(endlessLoopModel()).graph as GraphProto)).not.toThrow();
    const ifs = graphOf({ inputs: [x()], outputs: [y()], initializers: [cond], nodes: [node('If', ['cond'], ['y'], { then_branch: { graph: branch('x', 't') }, else_branch: { graph: branch('x', 'e') } }, 'if')] });
    expect(checkGraph(ifs)).toEqual(new Set());
  });

  it('names every node of a three-node cycle, in order', () => {
    const g = graphOf({
      inputs: [x()],
      outputs: [y()],
      nodes: [node('Add', ['x', 'c'], ['a'], {}, 'A'), node('Relu', ['a'], ['b'], {}, 'B'), node('Neg', ['b'], ['c'], {}, 'C'), node('Identity', ['c'], ['y'], {}, 'out')],
    });
    expect(() => checkGraph(g)).toThrow("the graph has a cycle: node 'A' needs 'c' from node 'C', which needs 'b' from node 'B', which needs 'a' from node 'A'");
  });

  it('finds a cycle closed through what a subgraph reads from the outer graph', () => {
    const g = graphOf({
      inputs: [x()],
      outputs: [y()],
      initializers: [cond],
      nodes: [node('If', ['cond'], ['i'], { then_branch: { graph: branch('late', 't') }, else_branch: { graph: branch('x', 'e') } }, 'if'), node('Relu', ['i'], ['late'], {}, 'late'), node('Identity', ['late'], ['y'])],
    });
    expect(() => checkGraph(g)).toThrow(/has a cycle: node 'if' needs 'late' from node 'late', which needs 'i' from node 'if'/);
  });

  it('names the subgraph where a tensor nobody produces is read', () => {
    const g = graphOf({ inputs: [x()], outputs: [y()], initializers: [cond], nodes: [node('If', ['cond'], ['y'], { then_branch: { graph: branch('ghost', 't') }, else_branch: { graph: branch('x', 'e') } }, 'if')] });
    expect(() => checkGraph(g)).toThrow("in subgraph 'then_branch' of node 'if', node #0 (Identity) reads tensor 'ghost', which no node, graph input or initializer produces");
  });

  it('refuses a node that overwrites an initializer, and an output nobody produces', () => {
    expect(() => checkGraph(graphOf({ inputs: [x()], outputs: [y()], initializers: [floatTensor('w', [1], [1])], nodes: [node('Relu', ['x'], ['w'], {}, 'r'), node('Add', ['x', 'w'], ['y'])] }))).toThrow(
      "in the graph, node 'r' writes tensor 'w', which is already a graph input or initializer",
    );
    expect(() => checkGraph(graphOf({ inputs: [x()], outputs: [valueInfo('z', 'float', null)], nodes: [node('Relu', ['x'], ['y'])] }))).toThrow("the graph's output 'z' is produced by no node");
  });
});
