/**
 * The model's one input tensor from a job, checked against the declared input so a bad input
 * gets a message naming what is wrong before the runtime sees it.
 * @module
 */
import type { Preprocess, TensorInfo } from '@cnnvis/protocol';
import { imageToTensor } from '../image/preprocess-image';
import { ModelError, WorkerError } from '../worker-error';
import type { AnalyzeInput } from './analyze-types';

const fmt = (shape: readonly unknown[]) => `[${shape.map((d) => d ?? '?').join(', ')}]`;

/** The model's single input; models with several inputs are not supported yet. */
export function singleInput(inputs: readonly TensorInfo[]): TensorInfo {
  const [first, ...rest] = inputs;
  if (!first) throw new ModelError('UNSUPPORTED', 'the model has no inputs to feed');
  if (rest.length > 0) {
    throw new ModelError('UNSUPPORTED', `the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); cnnvis feeds models with one input`);
  }
  return first;
}

/** The float32 tensor to feed `input`, decoding and preprocessing an image. */
export function inputTensor(input: TensorInfo, job: AnalyzeInput, preprocess?: Preprocess): { data: Float32Array; shape: number[] } {
  if (input.dtype !== 'float') {
    throw new WorkerError('BAD_INPUT', `the model's input '${input.name}' is ${input.dtype}; cnnvis feeds float32 tensors`);
  }
  const t = 'encoded' in job ? imageToTensor(job.encoded, input.shape, preprocess) : job;
  if (!(t.data instanceof Float32Array)) throw new WorkerError('BAD_INPUT', 'input data must be a Float32Array');
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new WorkerError('BAD_INPUT', `input shape ${fmt(t.shape ?? [])} must be a list of positive integers`);
  }
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) {
    throw new WorkerError('BAD_INPUT', `input data has ${t.data.length} values but shape ${fmt(t.shape)} needs ${count}`);
  }
  const declared = input.shape;
  if (declared) {
    if (declared.length !== t.shape.length) {
      throw new WorkerError('BAD_INPUT', `input shape ${fmt(t.shape)} has rank ${t.shape.length}; the model's input '${input.name}' is ${fmt(declared)} (rank ${declared.length})`);
    }
    declared.forEach((d, i) => {
      if (typeof d === 'number' && d > 0 && d !== t.shape[i]) {
        throw new WorkerError('BAD_INPUT', `input shape ${fmt(t.shape)} does not fit the model's input '${input.name}' ${fmt(declared)}: dimension ${i} is ${t.shape[i]}, the model needs ${d}`);
      }
    });
  }
  return { data: t.data, shape: t.shape };
}
