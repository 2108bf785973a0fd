/**
 * How layers, shapes and numbers read on screen: the short name of an exporter's path-like node
 * name (`/layer1/layer1.0/conv1/Conv`), the full one kept for the panel and search.
 * @module
 */
import type { Edge } from '@cnnvis/protocol';

/**
 * The part of a node id worth showing on a small box. PyTorch ends paths with
 * the op type (`…/conv1/Conv`), which the box already says, so the segment
 * before it is used then.
 * @example
 * shortName('/layer1/layer1.0/conv1/Conv', 'Conv') // 'conv1'
 * shortName('/fc/Gemm_1', 'Gemm') // 'fc'
 * shortName('relu_3', 'Relu') // 'relu_3'
 */
export function shortName(id: string, op: string): string {
  const parts = id.split('/').filter((p) => p !== '');
  const last = parts[parts.length - 1] ?? id;
  const isOpName = last === op || new RegExp(`^${op}(_\\d+)?$`).test(last);
  if (isOpName && parts.length > 1) return parts[parts.length - 2] ?? last;
  return last;
}

/**
 * A shape as `1×64×56×56`; symbolic dims keep their name, unknown ones are `?`.
 * @example formatShape([1, 64, 56, 56]) // '1×64×56×56'
 * @example formatShape(['batch', 3, null]) // 'batch×3×?'
 */
export function formatShape(shape: Edge['shape'] | readonly number[]): string {
  if (shape === null) return '';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/**
 * A statistic in at most ~6 significant characters: fixed for ordinary
 * values, exponent for tiny and huge ones.
 * @example formatNumber(0.123456) // '0.1235'
 * @example formatNumber(123456789) // '1.23e+8'
 * @example formatNumber(null) // '—'
 */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(a >= 100 ? 1 : a >= 10 ? 2 : 4).replace(/\.?0+$/, '');
}

/**
 * A parameter count as people say it.
 * @example formatCount(11_689_512) // '11.7M'
 */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/**
 * A colour family per op, so the kind of a layer reads at a glance.
 * @example opFamily('Conv') // 'conv'
 */
export type OpFamily = 'conv' | 'activation' | 'pool' | 'norm' | 'dense' | 'merge' | 'shape' | 'io' | 'other';

const FAMILIES: Record<Exclude<OpFamily, 'io' | 'other'>, RegExp> = {
  conv: /^(Conv|ConvTranspose|ConvInteger|QLinearConv|DeformConv)$/,
  activation: /^(Relu|LeakyRelu|PRelu|Sigmoid|Tanh|Elu|Selu|Celu|Gelu|HardSigmoid|HardSwish|Softplus|Softsign|Mish|Softmax|LogSoftmax|Clip|ThresholdedRelu)$/,
  pool: /Pool$|^(Resize|Upsample|SpaceToDepth|DepthToSpace)$/,
  norm: /Normalization$|^(LRN|Dropout)$/,
  dense: /^(Gemm|MatMul|MatMulInteger|Einsum|QLinearMatMul)$/,
  merge: /^(Add|Sub|Mul|Div|Concat|Sum|Mean|Max|Min|Where|Pow)$/,
  shape: /^(Reshape|Flatten|Transpose|Squeeze|Unsqueeze|Shape|Gather|Slice|Split|Pad|Cast|Expand|Tile|Identity|Constant|ConstantOfShape|Range|ReduceMean|ReduceSum|ReduceMax)$/,
};

/** @example opFamily('MaxPool') // 'pool' */
export function opFamily(op: string): OpFamily {
  for (const [family, re] of Object.entries(FAMILIES)) if (re.test(op)) return family as OpFamily;
  return 'other';
}
