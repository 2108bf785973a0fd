/**
 * How much each layer's weights changed between two models: ‖W_A − W_B‖ / ‖W_A‖ over the
 * weights a node reads (float initializers, or a DequantizeLinear of initializers).
 * @module
 */
import type { NodeProto } from '../onnx/onnx-schema';
import { readFloatTensor, readTensorNumbers } from '../onnx/tensor-data';
import type { LoadedModel } from '../runtime/loaded-model';
import type { WeightDiff, WeightDiffJob } from './analyze-types';

/** Null for a node whose weights do not pair up (count, size, not float, or A all zeros). */
export function weightDiffs(a: LoadedModel, b: LoadedModel, nodes: WeightDiffJob['nodes']): WeightDiff[] {
  return nodes.map(({ node, a: namesA, b: namesB }) => ({ node, relL2: relL2(a, b, namesA, namesB) }));
}

function relL2(a: LoadedModel, b: LoadedModel, namesA: string[], namesB: string[]): number | null {
  if (namesA.length === 0 || namesA.length !== namesB.length) return null;
  let diff = 0;
  let norm = 0;
  for (const [i, name] of namesA.entries()) {
    const wa = floatWeight(a, name);
    const wb = floatWeight(b, namesB[i] ?? '');
    if (wa === null || wb === null || wa.length !== wb.length) return null;
    for (let k = 0; k < wa.length; k++) {
      const x = wa[k] as number;
      const d = x - (wb[k] as number);
      diff += d * d;
      norm += x * x;
    }
  }
  if (norm === 0) return diff === 0 ? 0 : null;
  return Math.sqrt(diff / norm);
}

/** A weight's values as floats: a float initializer's, or those a DequantizeLinear makes of initializers. */
function floatWeight(m: LoadedModel, name: string): Float32Array | null {
  const t = m.initializer.get(name);
  if (t !== undefined) return readFloatTensor(t);
  const node = m.model.graph?.node.find((n) => n.opType === 'DequantizeLinear' && n.output[0] === name);
  return node === undefined ? null : dequantized(m, node);
}

/** (q − zero) · scale, per tensor or along the node's `axis` (default 1), as DequantizeLinear computes it. */
function dequantized(m: LoadedModel, node: NodeProto): Float32Array | null {
  const [x, s, z] = node.input.map((i) => (i === '' ? undefined : m.initializer.get(i)));
  const q = x === undefined ? null : readTensorNumbers(x);
  const scale = s === undefined ? null : readTensorNumbers(s);
  const zero = z === undefined ? [0] : readTensorNumbers(z);
  if (x === undefined || q === null || scale === null || zero === null) return null;
  const dims = x.dims.map(Number);
  const given = Number(node.attribute.find((a) => a.name === 'axis')?.i ?? 1);
  const axis = given < 0 ? given + dims.length : given;
  const inner = dims.slice(axis + 1).reduce((p, d) => p * d, 1);
  const along = scale.length === 1 ? 1 : (dims[axis] ?? 1);
  return Float32Array.from(q, (v, i) => {
    const k = along === 1 ? 0 : Math.floor(i / inner) % along;
    return (v - (zero[k] ?? zero[0] ?? 0)) * (scale[k] ?? 0);
  });
}
