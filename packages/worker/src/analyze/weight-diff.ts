/**
 * How much each layer's weights changed between two models (two checkpoints
 * of one architecture): ‖W_A − W_B‖ / ‖W_A‖ over the float initializers a
 * node reads, paired in order.
 * @module
 */
import { readFloatTensor } from '../onnx/tensor-data';
import type { LoadedModel } from '../runtime/loaded-model';
import type { WeightDiff, WeightDiffJob } from './analyze-types';

/**
 * Null for a node whose weights do not pair up (another count, another
 * size, not float, or all zeros in A while B's are not).
 * @example
 * weightDiffs(a, b, [{ node: 'conv1', a: ['conv1.weight', 'conv1.bias'], b: ['conv1.weight', 'conv1.bias'] }]);
 * // [{ node: 'conv1', relL2: 0.013 }]
 */
export function weightDiffs(a: LoadedModel, b: LoadedModel, nodes: WeightDiffJob['nodes']): WeightDiff[] {
  return nodes.map(({ node, a: namesA, b: namesB }) => ({ node, relL2: relL2(a, b, namesA, namesB) }));
}

function relL2(a: LoadedModel, b: LoadedModel, namesA: string[], namesB: string[]): number | null {
  if (namesA.length === 0 || namesA.length !== namesB.length) return null;
  let diff = 0;
  let norm = 0;
  for (const [i, name] of namesA.entries()) {
    const ta = a.initializer.get(name);
    const tb = b.initializer.get(namesB[i] ?? '');
    const wa = ta === undefined ? null : readFloatTensor(ta);
    const wb = tb === undefined ? null : readFloatTensor(tb);
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
