/**
 * Per-plane statistics as ONNX ops appended to a model, so ONNX Runtime computes them where it
 * runs the model and a run fetches a few numbers a plane. A tensor is flattened to [N·C, L] and
 * each row reduced over its finite values; an If recomputes them with non-finite values masked
 * only when a plane's mean says it holds some. m2 takes two passes, so float32 keeps accuracy.
 * @module
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { onnx, type AttributeProto, type GraphProto, type NodeProto, type ModelProto } from './onnx-schema';

/** A tensor of known rank ≥ 2 to summarise. */
export interface PlaneStatsTensor {
  name: string;
  float32: boolean;
  bounds?: [number, number];
  /** Quantise every plane to bytes over its finite range, as feature-map.ts's quantizeInto does. */
  map?: boolean;
}

/** The outputs of one tensor's statistics, each [N·C, 1] float32 but `shape` (the tensor's, int64). */
export interface PlaneStatsOutputs {
  min: string;
  max: string;
  mean: string;
  m2: string;
  nonzero: string;
  nan: string;
  nonfinite: string;
  /** Values not strictly inside the bounds (NaN and ±Inf included: subtract `nonfinite`). */
  outside?: string;
  /** uint8 [N·C, L]: each plane quantised over [min, max]. */
  map?: string;
  shape: string;
}

const FIELDS = ['min', 'max', 'mean', 'm2', 'nonzero', 'nan', 'nonfinite'] as const;
const { AttributeProto_AttributeType: A, TensorProto_DataType: D } = onnx;

function attr(name: string, v: number | number[] | GraphProto): AttributeProto {
  if (typeof v === 'number') return create(onnx.AttributeProtoSchema, { name, type: A.INT, i: BigInt(v) });
  if (Array.isArray(v)) return create(onnx.AttributeProtoSchema, { name, type: A.INTS, ints: v.map(BigInt) });
  return create(onnx.AttributeProtoSchema, { name, type: A.GRAPH, g: v });
}

const floatInfo = (name: string) => create(onnx.ValueInfoProtoSchema, { name, type: { value: { case: 'tensorType', value: { elemType: D.FLOAT } } } });

/** The default domain's opset version of a model. */
export function defaultOpset(model: ModelProto): number {
  const v = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  return v === undefined ? 1 : Number(v);
}

/**
 * The graph part to append (see appendToGraph) and each tensor's output names; `expose` names
 * tensors to add as outputs as they are.
 */
export function planeStatsGraph(tensors: readonly PlaneStatsTensor[], opset: number, expose: readonly string[] = []): { graph: Uint8Array; outputs: Map<string, PlaneStatsOutputs> } {
  const nodes: NodeProto[] = [];
  const k = (name: string) => `cnnvis_stats/${name}`;
  const consts: Array<[string, number]> = [['zero', 0], ['one', 1], ['half', 0.5], ['255', 255], ['inf', Infinity], ['-inf', -Infinity]];
  const initializer = consts.map(([name, x]) => create(onnx.TensorProtoSchema, { name: k(name), dataType: D.FLOAT, floatData: [x] }));
  initializer.push(create(onnx.TensorProtoSchema, { name: k('axis1'), dataType: D.INT64, dims: [1n], int64Data: [1n] }));
  const op = (to: NodeProto[], opType: string, input: string[], output: string, attrs: Record<string, number | number[] | GraphProto> = {}) => {
    to.push(create(onnx.NodeProtoSchema, { opType, input, output: [output], attribute: Object.entries(attrs).map(([n, v]) => attr(n, v)) }));
    return output;
  };
  // Row reductions, keeping dims: axes an input from opset 18 (ReduceSum: 13), an attribute before.
  const reduce = (to: NodeProto[], opType: string, x: string, out: string) =>
    opset >= (opType === 'ReduceSum' ? 13 : 18) ? op(to, opType, [x, k('axis1')], out, { keepdims: 1 }) : op(to, opType, [x], out, { axes: [1], keepdims: 1 });
  const count = (to: NodeProto[], mask: string, out: string) => reduce(to, 'ReduceSum', op(to, 'Cast', [mask], `${out}/f`, { to: D.FLOAT }), out);
  const outputs = new Map<string, PlaneStatsOutputs>();
  const graphOutputs: string[] = [];
  tensors.forEach((t, i) => {
    const p = k(`${i}/`);
    const x = t.float32 ? t.name : op(nodes, 'Cast', [t.name], `${p}float`, { to: D.FLOAT });
    const f = op(nodes, 'Flatten', [x], `${p}planes`, { axis: 2 });
    const plain = {
      min: reduce(nodes, 'ReduceMin', f, `${p}min0`),
      max: reduce(nodes, 'ReduceMax', f, `${p}max0`),
      mean: reduce(nodes, 'ReduceMean', f, `${p}mean0`),
      m2: '',
      nonzero: reduce(nodes, 'ReduceL1', op(nodes, 'Sign', [f], `${p}sign0`), `${p}nonzero0`),
    };
    plain.m2 = reduce(nodes, 'ReduceSumSquare', op(nodes, 'Sub', [f, plain.mean], `${p}dev0`), `${p}m20`);
    // A plane's mean is finite exactly when all its values are (float32 overflow aside).
    const poisoned = op(nodes, 'Mul', [plain.mean, k('zero')], `${p}poison`);
    const cond = op(nodes, 'IsNaN', [op(nodes, 'ReduceSum', [poisoned], `${p}anybad`, { keepdims: 0 })], `${p}cond`);
    // Then: the careful pass, non-finite values masked.
    const c: NodeProto[] = [];
    const bad = op(c, 'IsNaN', [op(c, 'Sub', [f, f], `${p}ff`)], `${p}bad`);
    const finite = count(c, op(c, 'Not', [bad], `${p}good`), `${p}finite`);
    const masked = (fill: string, v: string, out: string) => op(c, 'Where', [bad, k(fill), v], out);
    const z = masked('zero', f, `${p}z`);
    const mean = op(c, 'Div', [reduce(c, 'ReduceSum', z, `${p}sum`), op(c, 'Max', [finite, k('one')], `${p}n`)], `${p}mean1`);
    const careful = {
      min: reduce(c, 'ReduceMin', masked('inf', f, `${p}lo`), `${p}min1`),
      max: reduce(c, 'ReduceMax', masked('-inf', f, `${p}hi`), `${p}max1`),
      mean,
      m2: reduce(c, 'ReduceSumSquare', masked('zero', op(c, 'Sub', [f, mean], `${p}dev1`), `${p}dev1z`), `${p}m21`),
      nonzero: reduce(c, 'ReduceL1', op(c, 'Sign', [z], `${p}sign1`), `${p}nonzero1`),
      nan: count(c, op(c, 'IsNaN', [f], `${p}isnan`), `${p}nan1`),
      nonfinite: count(c, bad, `${p}nonfinite1`),
    };
    // Else: the plain pass, and no NaN or infinity (zeros shaped as a plane vector).
    const e: NodeProto[] = [];
    const none = op(e, 'Identity', [poisoned], `${p}none`);
    const elseOut = { ...plain, nan: none, nonfinite: none };
    const branch = (name: string, node: NodeProto[], out: Record<(typeof FIELDS)[number], string>) => {
      const output = FIELDS.map((field) => op(node, 'Identity', [out[field]], `${p}${name}/${field}`));
      return create(onnx.GraphProtoSchema, { name: `${p}${name}`, node, output: output.map(floatInfo) });
    };
    const names = Object.fromEntries(FIELDS.map((field) => [field, `${p}${field}`])) as Record<(typeof FIELDS)[number], string>;
    nodes.push(create(onnx.NodeProtoSchema, {
      opType: 'If', input: [cond], output: FIELDS.map((field) => names[field]),
      attribute: [attr('then_branch', branch('careful', c, careful)), attr('else_branch', branch('plain', e, elseOut))],
    }));
    const out: PlaneStatsOutputs = { ...names, shape: op(nodes, 'Shape', [t.name], `${p}shape`) };
    if (t.bounds) {
      const [lo, hi] = t.bounds.map((b, j) => {
        const name = `${p}bound${j}`;
        initializer.push(create(onnx.TensorProtoSchema, { name, dataType: D.FLOAT, floatData: [b] }));
        return name;
      }) as [string, string];
      const inside = op(nodes, 'And', [op(nodes, 'Greater', [f, lo], `${p}above`), op(nodes, 'Less', [f, hi], `${p}below`)], `${p}inside`);
      out.outside = count(nodes, op(nodes, 'Not', [inside], `${p}outsidemask`), `${p}outside`);
    }
    if (t.map) {
      // (x - min) · 255 / (max - min) + 0.5, clamped and truncated: NaN gives 0, -Inf 0, +Inf 255.
      const range = op(nodes, 'Sub', [names.max, names.min], `${p}range`);
      const scale = op(nodes, 'Where', [op(nodes, 'Greater', [range, k('zero')], `${p}spread`), op(nodes, 'Div', [k('255'), range], `${p}scale0`), k('zero')], `${p}scale`);
      const v = op(nodes, 'Add', [op(nodes, 'Mul', [op(nodes, 'Sub', [f, names.min], `${p}shifted`), scale], `${p}scaled`), k('half')], `${p}v`);
      // Clip's bounds are inputs from opset 11.
      const clipped = opset >= 11 ? op(nodes, 'Clip', [v, k('zero'), k('255')], `${p}clipped`) : op(nodes, 'Min', [op(nodes, 'Max', [v, k('zero')], `${p}above0`), k('255')], `${p}clipped`);
      out.map = op(nodes, 'Cast', [clipped], `${p}map`, { to: D.UINT8 });
    }
    outputs.set(t.name, out);
    graphOutputs.push(...FIELDS.map((field) => out[field]), out.shape, ...(out.outside ? [out.outside] : []), ...(out.map ? [out.map] : []));
  });
  const part = create(onnx.GraphProtoSchema, { node: nodes, initializer, output: [...graphOutputs, ...expose].map((name) => create(onnx.ValueInfoProtoSchema, { name })) });
  return { graph: toBinary(onnx.GraphProtoSchema, part), outputs };
}
