/**
 * A dataset request's inputs, sent as one binary, as the worker's list of
 * batch-1 inputs: a stacked float32 tensor split along axis 0, or image
 * files cut at their lengths.
 * @module
 */
import type { DatasetRequest } from '@cnnvis/protocol';
import type { AnalyzeInput } from '@cnnvis/worker/pool';
import { CnnvisError } from '../errors';
import { toJobInput } from './job-input';

/**
 * @example
 * datasetInputs({ dtype: 'float32', shape: [3, 1, 8, 8], data }); // three { data, shape: [1, 1, 8, 8] }
 */
export function datasetInputs(inputs: DatasetRequest['inputs']): AnalyzeInput[] {
  if ('encoded' in inputs) {
    const total = inputs.lengths.reduce((a, b) => a + b, 0);
    if (total !== inputs.encoded.byteLength) {
      throw CnnvisError.badRequest([{ path: 'inputs.lengths', message: `add up to ${total} bytes but inputs.encoded holds ${inputs.encoded.byteLength}` }]);
    }
    let at = 0;
    return inputs.lengths.map((n) => ({ encoded: inputs.encoded.slice(at, (at += n)) }));
  }
  const stacked = toJobInput(inputs) as { data: Float32Array; shape: number[] };
  const [count = 0, ...item] = stacked.shape;
  const size = item.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, (_, i) => ({ data: stacked.data.slice(i * size, (i + 1) * size), shape: [1, ...item] }));
}
