/**
 * Building small ONNX models in tests with onnx-buf's own messages, so that a
 * model with known weights, a broken one, or one with an odd feature needs no
 * fixture file.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { onnx, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from './onnx';

const DT = { float: 1, int64: 7, bool: 9 } as const;
export type Dtype = keyof typeof DT;
type Dim = number | string;

/** A graph input or output with a tensor type. */
export function valueInfo(name: string, dtype: Dtype, shape: Dim[] | null): ValueInfoProto {
  const dim = (shape ?? []).map((d) =>
    create(onnx.TensorShapeProto_DimensionSchema, {
      value: typeof d === 'number' ? { case: 'dimValue', value: BigInt(d) } : { case: 'dimParam', value: d },
    }),
  );
  return create(onnx.ValueInfoProtoSchema, {
    name,
    type: create(onnx.TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: create(onnx.TypeProto_TensorSchema, {
          elemType: DT[dtype],
          ...(shape ? { shape: create(onnx.TensorShapeProtoSchema, { dim }) } : {}),
        }),
      },
    }),
  });
}

/** A float32 initializer stored as raw little-endian bytes, as PyTorch writes them. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): TensorProto {
  const data = Float32Array.from(values);
  return create(onnx.TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: DT.float,
    rawData: new Uint8Array(data.buffer),
  });
}

/** An int64 tensor in the typed `int64_data` field. */
export function int64Tensor(name: string, dims: number[], values: number[]): TensorProto {
  return create(onnx.TensorProtoSchema, { name, dims: dims.map(BigInt), dataType: DT.int64, int64Data: values.map(BigInt) });
}

type AttrValue = number | number[] | string | TensorProto | { graph: ReturnType<typeof graph> };

function attribute(name: string, v: AttrValue): AttributeProto {
  const T = onnx.AttributeProto_AttributeType;
  if (typeof v === 'number') return create(onnx.AttributeProtoSchema, { name, type: T.INT, i: BigInt(v) });
  if (typeof v === 'string') return create(onnx.AttributeProtoSchema, { name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return create(onnx.AttributeProtoSchema, { name, type: T.INTS, ints: v.map(BigInt) });
  if ('graph' in v) return create(onnx.AttributeProtoSchema, { name, type: T.GRAPH, g: v.graph });
  return create(onnx.AttributeProtoSchema, { name, type: T.TENSOR, t: v });
}

/** A node; integer attributes are INT/INTS, strings STRING, tensors TENSOR. */
export function node(op: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name = ''): NodeProto {
  return create(onnx.NodeProtoSchema, {
    opType: op,
    name,
    input: inputs,
    output: outputs,
    attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
  });
}

export interface GraphSpec {
  nodes: NodeProto[];
  inputs: ValueInfoProto[];
  outputs: ValueInfoProto[];
  initializers?: TensorProto[];
  name?: string;
}

export function graph(spec: GraphSpec) {
  return create(onnx.GraphProtoSchema, {
    name: spec.name ?? 'test',
    node: spec.nodes,
    input: spec.inputs,
    output: spec.outputs,
    initializer: spec.initializers ?? [],
  });
}

/** The encoded model: IR version 8 and opset 17 unless told otherwise. */
export function buildModel(spec: GraphSpec & { irVersion?: number; opset?: number }): Uint8Array {
  const model = create(onnx.ModelProtoSchema, {
    irVersion: BigInt(spec.irVersion ?? 8),
    producerName: 'cnnvis-test',
    opsetImport: [create(onnx.OperatorSetIdProtoSchema, { domain: '', version: BigInt(spec.opset ?? 17) })],
    graph: graph(spec),
  });
  return toBinary(onnx.ModelProtoSchema, model);
}
