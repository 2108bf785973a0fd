/**
 * The bounds a layer clamps its output to, where it has any: Clip's min and max (attributes, or
 * inputs from initializers or Constant nodes) and the fixed ranges of Sigmoid, HardSigmoid and
 * Tanh. A value at a bound is saturated.
 * @module
 */
import type { LayerNode } from '@cnnvis/protocol';
import { readTensorNumbers } from '../onnx/tensor-data';
import type { LoadedModel } from '../runtime/loaded-model';

const FIXED: Readonly<Record<string, [number, number]>> = { Sigmoid: [0, 1], HardSigmoid: [0, 1], Tanh: [-1, 1] };

/** The one number a constant tensor holds (an initializer or a Constant node's output), else undefined. */
function scalar(m: LoadedModel, name: string | undefined): number | undefined {
  if (name === undefined || name === '') return undefined;
  const init = m.initializer.get(name);
  const constant = m.model.graph?.node.find((n) => n.opType === 'Constant' && n.output.includes(name))?.attribute.find((a) => a.name === 'value')?.t;
  const t = init ?? constant;
  const values = t === undefined ? null : readTensorNumbers(t);
  return values?.length === 1 ? values[0] : undefined;
}

/**
 * The bounds a layer clamps its output to (a value at one is saturated): Clip's, from attributes
 * or constant inputs, and the fixed ranges of Sigmoid, HardSigmoid and Tanh.
 */
export function clampBounds(m: LoadedModel, node: LayerNode): [number, number] | undefined {
  const fixed = FIXED[node.op];
  if (fixed !== undefined) return fixed;
  if (node.op !== 'Clip') return undefined;
  const attr = (k: string) => (typeof node.attributes[k] === 'number' ? (node.attributes[k] as number) : undefined);
  // Opset 11+ moved the bounds to inputs 1 and 2, which the layer graph lists as weights.
  const proto = m.model.graph?.node.find((n) => n.output[0] === node.outputs[0]);
  const lo = attr('min') ?? scalar(m, proto?.input[1]);
  const hi = attr('max') ?? scalar(m, proto?.input[2]);
  if (lo === undefined && hi === undefined) return undefined;
  return [lo ?? -Infinity, hi ?? Infinity];
}
