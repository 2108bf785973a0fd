/**
 * A classifier's output as its k most likely classes: values taken as probabilities where they
 * are ones (a Softmax, or 0…1 summing to 1), else softmaxed as logits.
 * @module
 */

export interface TopEntry {
  index: number;
  value: number;
  probability: number;
}

/** Whether `values` already are probabilities. */
export function areProbabilities(values: ArrayLike<number>, op?: string): boolean {
  if (op === 'Softmax') return true;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= 0 && v <= 1)) return false;
    sum += v;
  }
  return Math.abs(sum - 1) < 1e-3;
}

/**
 * Softmax, shifted by the maximum so large logits do not overflow.
 * @example softmax([0, Math.log(3)]) // [0.25, 0.75]
 */
export function softmax(values: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] as number);
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += out[i] = Math.exp((values[i] as number) - max);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

/**
 * The `k` largest values with their probabilities, largest first (ties: the lower index first).
 * @example topK([1, 3, 2], 2) // [{ index: 1, value: 3, probability: 0.665… }, { index: 2, value: 2, … }]
 */
export function topK(values: ArrayLike<number>, k: number, op?: string): { entries: TopEntry[]; softmax: boolean } {
  const probs = areProbabilities(values, op);
  const p = probs ? Float64Array.from(values as ArrayLike<number>) : softmax(values);
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  return { entries: order.slice(0, k).map((index) => ({ index, value: values[index] as number, probability: p[index] as number })), softmax: !probs };
}
