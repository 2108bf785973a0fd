/**
 * Runs many perturbed copies of one input through a session, `batch` to a pass, and keeps the
 * target's score of each.
 * @module
 */
import * as ort from 'onnxruntime-node';
import { runError } from '../runtime/ort-errors';
import { WorkerError } from '../worker-error';

export interface PassPlan {
  session: ort.InferenceSession;
  input: string;
  output: string;
  /** One item's shape, `[C, H, W]`. */
  item: readonly number[];
  /** How many perturbed items. */
  count: number;
  /** Items per pass. */
  batch: number;
  /** The output index whose score is kept. */
  target: number;
  /** Writes item `i` into `dst` (one item's length). */
  make(i: number, dst: Float32Array): void;
  /** After each pass, with the items done so far. */
  onPass?(done: number): void;
}

export async function scorePasses(plan: PassPlan): Promise<Float32Array> {
  const size = plan.item.reduce((a, b) => a * b, 1);
  const buffer = new Float32Array(size * Math.min(plan.batch, plan.count));
  const scores = new Float32Array(plan.count);
  for (let start = 0; start < plan.count; start += plan.batch) {
    const n = Math.min(plan.batch, plan.count - start);
    for (let j = 0; j < n; j++) plan.make(start + j, buffer.subarray(j * size, (j + 1) * size));
    let out: ort.InferenceSession.ReturnType;
    try {
      out = await plan.session.run({ [plan.input]: new ort.Tensor('float32', buffer.subarray(0, n * size), [n, ...plan.item]) }, [plan.output]);
    } catch (err) {
      throw runError(err);
    }
    const t = out[plan.output] as ort.Tensor;
    const data = t.data as Float32Array;
    const per = data.length / n;
    if (plan.target >= per) throw new WorkerError('BAD_INPUT', `target ${plan.target} is out of range: the output '${plan.output}' has ${per} values per input`);
    for (let j = 0; j < n; j++) scores[start + j] = data[j * per + plan.target] as number;
    t.dispose();
    plan.onPass?.(start + n);
  }
  return scores;
}
