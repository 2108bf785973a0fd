/**
 * An analysis request's input as a worker job's: float32 bytes become a
 * Float32Array (checked against the shape), encoded images pass through.
 * @module
 */
import type { AnalyzeRequest } from '@cnnvis/protocol';
import type { AnalyzeJob } from '@cnnvis/worker/pool';
import { badField } from '../errors';

export function toJobInput(input: AnalyzeRequest['input']): AnalyzeJob['input'] {
  if (!('dtype' in input)) return { encoded: input.data };
  const count = input.shape.reduce((n, d) => n * d, 1);
  if (input.data.byteLength !== count * 4) {
    const needs = `shape [${input.shape.join(', ')}] needs ${count * 4} (float32)`;
    throw badField('input.data', `holds ${input.data.byteLength} bytes but ${needs}`);
  }
  // Copied: the bytes sit at any offset inside a received frame, and a Float32Array needs 4-byte alignment.
  const data = new Float32Array(count);
  new Uint8Array(data.buffer).set(input.data);
  return { data, shape: [...input.shape] };
}
