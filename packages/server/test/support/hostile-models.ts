/**
 * Corrupt and hostile ONNX files, built in code (no committed binaries): the
 * real ConvNet fixture cut or defaced, and models encoded with onnx-buf that
 * lie about their shapes, loop on themselves, name what does not exist, or
 * ask the runtime for far more memory than any machine has. Each says where
 * it must be stopped (at upload or as a failed job) and what the message
 * must name, so the user learns what is wrong with their model.
 */
import { readFileSync } from 'node:fs';
import { create, toBinary } from '@bufbuild/protobuf';
import { onnx, type GraphProto, type TensorProto } from '../../../../test/support/onnx';
import { externalDataModels } from '../../../../test/support/external-data-models';
import { buildModel, floatTensor, graph, int64Tensor, node, valueInfo, type GraphSpec } from '../../../../test/support/onnx-builder';
import { encodePng } from '../../../../test/support/png-encode';
import { CONVNET_PATH, sha256 } from '../../../../test/support/models';

export interface HostileModel {
  name: string;
  bytes: Uint8Array;
  /** Where the server must stop it: refusing the upload (4xx), or failing the job it runs. */
  stops: 'upload' | 'job';
  /** What the error message must say. */
  message: RegExp;
}

/** The float input every built model takes, and the tensor a job feeds it. */
export const HOSTILE_INPUT = { shape: [1, 4], data: new Float32Array([0.5, -1, 2, 0]) };

const x = () => valueInfo('x', 'float', [1, 4]);
const y = () => valueInfo('y', 'float', null);
const relu = () => node('Relu', ['x'], ['y'], {}, 'relu');

/** A scalar bool initializer (the If condition). */
function boolScalar(name: string, value: boolean): TensorProto {
  return create(onnx.TensorProtoSchema, { name, dims: [], dataType: onnx.TensorProto_DataType.BOOL, rawData: Uint8Array.of(value ? 1 : 0) });
}

/** A float32 initializer with the given dims whose data is whatever `rawData` is (often too little). */
function lyingFloat(name: string, dims: number[], rawData: Uint8Array<ArrayBuffer>): TensorProto {
  return create(onnx.TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: onnx.TensorProto_DataType.FLOAT, rawData });
}

/** Relu(x) plus a 1×4 weight, the smallest model that reads an initializer. */
function withWeight(weight: TensorProto): Uint8Array {
  return buildModel({ inputs: [x()], outputs: [y()], initializers: [weight], nodes: [node('Add', ['x', weight.name], ['y'], {}, 'add')] });
}

/**
 * A model whose output needs a huge intermediate: `make` builds it from x and
 * a shape/repeats initializer, and a ReduceSum folds it back into y, so the
 * runtime cannot skip it.
 */
function memoryHog(op: 'ConstantOfShape' | 'Expand' | 'Tile', dims: number[]): Uint8Array {
  const inputs = op === 'ConstantOfShape' ? ['dims'] : ['x', 'dims'];
  return buildModel({
    inputs: [x()],
    outputs: [y()],
    initializers: [int64Tensor('dims', [dims.length], dims)],
    nodes: [
      node(op, inputs, ['huge'], {}, `hog/${op}`),
      node('ReduceSum', ['huge'], ['total'], { keepdims: 0 }, 'hog/sum'),
      node('Add', ['x', 'total'], ['y'], {}, 'hog/add'),
    ],
  });
}

/** If nodes nested `depth` deep, each then-branch holding the next, the innermost an Identity of x. */
function nestedIfs(depth: number): Uint8Array {
  const leaf = (name: string): GraphProto =>
    graph({ name, inputs: [], outputs: [valueInfo(`${name}_out`, 'float', [1, 4])], nodes: [node('Identity', ['x'], [`${name}_out`])] });
  let inner = leaf('leaf');
  for (let level = depth; level >= 1; level--) {
    const out = `if${level}_out`;
    const spec: GraphSpec = {
      name: `level${level}`,
      inputs: [],
      outputs: [valueInfo(out, 'float', [1, 4])],
      nodes: [node('If', ['cond'], [out], { then_branch: { graph: inner }, else_branch: { graph: leaf(`else${level}`) } }, `if${level}`)],
    };
    inner = graph(spec);
  }
  return buildModel({
    inputs: [x()],
    outputs: [y()],
    initializers: [boolScalar('cond', true)],
    nodes: [node('If', ['cond'], ['y'], { then_branch: { graph: inner }, else_branch: { graph: leaf('else0') } }, 'outer_if')],
  });
}

/** A model with its opset import (domain '' at `version`) and extra imports replaced. */
function withOpsets(opsets: Array<[string, number]>, spec: GraphSpec): Uint8Array {
  const model = create(onnx.ModelProtoSchema, {
    irVersion: 8n,
    producerName: 'cnnvis-test',
    opsetImport: opsets.map(([domain, version]) => create(onnx.OperatorSetIdProtoSchema, { domain, version: BigInt(version) })),
    graph: graph(spec),
  });
  return toBinary(onnx.ModelProtoSchema, model);
}

/**
 * Models whose tensor keeps its data in `<storedId>.onnx`, the file the server
 * keeps another model in (the models folder holds every user's models, and
 * ONNX Runtime resolves external data in it): in a sparse initializer, a
 * Constant's sparse_value, a local function's Constant, and a subgraph of a
 * local function. Each must be refused at upload, naming the tensor.
 * @example
 * stolenWeightsModels(sha256(convnet)); // upload convnet first, then these
 */
export function stolenWeightsModels(storedId: string): HostileModel[] {
  return externalDataModels(`${storedId}.onnx`).map((m) => ({
    name: `external data in a ${m.name}, pointing at another stored model`,
    bytes: m.bytes,
    stops: 'upload',
    message: new RegExp(`${m.tensor.source}.*external file \\('${storedId}\\.onnx'\\)`),
  }));
}

/** Every hostile model, in a fixed order. */
export function hostileModels(): HostileModel[] {
  const convnet = new Uint8Array(readFileSync(CONVNET_PATH));
  const cut = (at: number) => convnet.slice(0, at);
  const defaced = convnet.slice();
  defaced.set([0xde, 0xad, 0xbe, 0xef], 0);
  const png = encodePng({ width: 2, height: 2, colorType: 0, data: Uint8Array.of(0, 64, 128, 255) });
  const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...Array.from({ length: 60 }, (_, i) => (i * 31) % 256)]);
  const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);

  return [
    // Not an ONNX file at all.
    { name: 'empty file', bytes: new Uint8Array(0), stops: 'upload', message: /empty/ },
    { name: 'random bytes', bytes: random, stops: 'upload', message: /not an ONNX model/ },
    { name: 'PNG renamed .onnx', bytes: png, stops: 'upload', message: /not an ONNX model: it starts with bytes 89 50 4e 47/ },
    { name: 'zip (a PyTorch .pt) renamed .onnx', bytes: zip, stops: 'upload', message: /not an ONNX model: it starts with bytes 50 4b 03 04/ },
    { name: 'Python source renamed .onnx', bytes: new TextEncoder().encode('import torch\nmodel = torch.load("x.pt")\n'), stops: 'upload', message: /text file/ },
    { name: 'wrong magic (first bytes defaced)', bytes: defaced, stops: 'upload', message: /not an ONNX model/ },
    // Truncated at several points of the real fixture.
    { name: 'truncated after 40 bytes', bytes: cut(40), stops: 'upload', message: /truncated/ },
    { name: 'truncated at 10%', bytes: cut(Math.floor(convnet.length * 0.1)), stops: 'upload', message: /truncated/ },
    { name: 'truncated at 50%', bytes: cut(Math.floor(convnet.length * 0.5)), stops: 'upload', message: /truncated/ },
    { name: 'truncated one byte short', bytes: cut(convnet.length - 1), stops: 'upload', message: /truncated/ },
    // Shapes that lie.
    {
      name: 'huge input dims [1, 3, 1e9, 1e9]',
      bytes: buildModel({ inputs: [valueInfo('x', 'float', [1, 3, 1e9, 1e9])], outputs: [y()], nodes: [relu()] }),
      stops: 'upload',
      message: /input 'x'.*1000000000/,
    },
    {
      name: 'negative input dim',
      bytes: buildModel({ inputs: [valueInfo('x', 'float', [1, -4])], outputs: [y()], nodes: [relu()] }),
      stops: 'upload',
      message: /input 'x'.*-4/,
    },
    { name: 'huge initializer dims [1e9, 1e9]', bytes: withWeight(lyingFloat('w', [1e9, 1e9], new Uint8Array(16))), stops: 'upload', message: /initializer 'w'.*1000000000/ },
    { name: 'negative initializer dim', bytes: withWeight(lyingFloat('w', [1, -4], new Uint8Array(16))), stops: 'upload', message: /initializer 'w'.*-4/ },
    { name: 'initializer declared without data', bytes: withWeight(lyingFloat('w', [1, 4], new Uint8Array(0))), stops: 'upload', message: /initializer 'w'.*no data/ },
    { name: 'initializer raw_data shorter than its dims', bytes: withWeight(lyingFloat('w', [1, 4], new Uint8Array(6))), stops: 'upload', message: /initializer 'w'.*16 bytes.*holds 6 bytes/ },
    {
      name: 'initializer data in an external file outside the model',
      bytes: withWeight(
        create(onnx.TensorProtoSchema, {
          name: 'w',
          dims: [1n, 4n],
          dataType: onnx.TensorProto_DataType.FLOAT,
          dataLocation: onnx.TensorProto_DataLocation.EXTERNAL,
          externalData: [create(onnx.StringStringEntryProtoSchema, { key: 'location', value: '../../../../etc/passwd' })],
        }),
      ),
      stops: 'upload',
      message: /initializer 'w'.*external/,
    },
    // The ConvNet is stored before these run (hostile-models.int.test.ts runs it first).
    ...stolenWeightsModels(sha256(convnet)),
    // Graphs that are not graphs.
    {
      name: 'cyclic graph A → B → A',
      bytes: buildModel({ inputs: [x()], outputs: [y()], nodes: [node('Add', ['x', 'b_out'], ['a_out'], {}, 'A'), node('Relu', ['a_out'], ['b_out'], {}, 'B'), node('Identity', ['b_out'], ['y'], {}, 'C')] }),
      stops: 'upload',
      message: /cycl.*'A'.*'B'|cycl.*'B'.*'A'/,
    },
    {
      name: 'node consuming its own output',
      bytes: buildModel({ inputs: [x()], outputs: [y()], nodes: [node('Add', ['x', 'loop'], ['loop'], {}, 'selfish'), node('Relu', ['loop'], ['y'], {}, 'relu')] }),
      stops: 'upload',
      message: /cycl.*'selfish'/,
    },
    {
      name: 'node reads a tensor nobody produces',
      bytes: buildModel({ inputs: [x()], outputs: [y()], nodes: [node('Add', ['x', 'ghost'], ['y'], {}, 'add')] }),
      stops: 'upload',
      message: /'add'.*'ghost'/,
    },
    {
      name: 'two nodes write the same output',
      bytes: buildModel({ inputs: [x()], outputs: [y()], nodes: [node('Relu', ['x'], ['t'], {}, 'first'), node('Neg', ['x'], ['t'], {}, 'second'), node('Identity', ['t'], ['y'], {}, 'id')] }),
      stops: 'upload',
      message: /'t'.*'first'.*'second'/,
    },
    { name: 'graph with no outputs', bytes: buildModel({ inputs: [x()], outputs: [], nodes: [relu()] }), stops: 'upload', message: /no outputs/ },
    { name: 'subgraphs nested 500 deep (If in If in …)', bytes: nestedIfs(500), stops: 'upload', message: /nested.*deep/ },
    { name: 'IR version 999', bytes: buildModel({ inputs: [x()], outputs: [y()], nodes: [relu()], irVersion: 999 }), stops: 'upload', message: /IR version 999/ },
    // Valid files that no runtime can run as they are: the job fails, naming why.
    { name: 'graph with no inputs', bytes: buildModel({ inputs: [], outputs: [y()], initializers: [floatTensor('c', [1, 4], [1, 2, 3, 4])], nodes: [node('Relu', ['c'], ['y'], {}, 'relu')] }), stops: 'job', message: /no inputs/ },
    { name: 'op that does not exist', bytes: buildModel({ inputs: [x()], outputs: [y()], nodes: [node('FrobnicateTensor', ['x'], ['y'], {}, 'frob')] }), stops: 'job', message: /FrobnicateTensor/ },
    {
      name: 'op in an unknown domain',
      bytes: buildModel({ inputs: [x()], outputs: [y()], nodes: [{ ...node('Relu', ['x'], ['y'], {}, 'evil'), domain: 'com.evil.ops' }] }),
      stops: 'job',
      message: /com\.evil\.ops/,
    },
    { name: 'opset 9999', bytes: withOpsets([['', 9999]], { inputs: [x()], outputs: [y()], nodes: [relu()] }), stops: 'job', message: /9999/ },
    {
      name: 'int64 input',
      bytes: buildModel({ inputs: [valueInfo('ids', 'int64', [1, 4])], outputs: [valueInfo('f', 'float', null)], nodes: [node('Cast', ['ids'], ['f'], { to: 1 }, 'cast')] }),
      stops: 'job',
      message: /'ids' is int64/,
    },
    // Runs, and asks for hundreds of GB: the job fails on the allocation, the worker survives or is replaced.
    { name: 'ConstantOfShape to 400 GB', bytes: memoryHog('ConstantOfShape', [100_000, 100_000, 10]), stops: 'job', message: /memory|allocat/i },
    { name: 'Expand to 160 GB', bytes: memoryHog('Expand', [100_000, 100_000, 4]), stops: 'job', message: /memory|allocat/i },
    { name: 'Tile to 160 GB', bytes: memoryHog('Tile', [100_000, 100_000]), stops: 'job', message: /memory|allocat/i },
  ];
}
