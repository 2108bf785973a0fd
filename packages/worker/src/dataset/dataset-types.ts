/** The shapes of a dataset-statistics job and its output (plain data and typed arrays). @module */
import type { Preprocess, Provider } from '@cnnvis/protocol';
import type { InputThumbnail } from '../analyze/analyze-types';
import type { ProviderRequest } from '../runtime/open-session';
import type { DatasetInputs } from './spooled-inputs';

/** Per-layer, per-channel statistics over many inputs, run `batch` at a time. */
export interface DatasetJob {
  modelPath: string;
  modelId: string;
  /** Each a batch-1 tensor or an encoded image, in the job or spooled to a file; read and decoded a batch at a time. */
  inputs: DatasetInputs;
  preprocess?: Preprocess;
  /** Keep layers whose node id contains, or whose op equals, one of these. All when absent. */
  layers?: string[];
  /** Inputs per forward pass where the model's batch dimension is dynamic (fixed: one). @default 16 */
  batch?: number;
  /** Inputs kept per channel, those with the highest mean activation. @default 5 */
  topK?: number;
  provider: ProviderRequest;
}

/** One layer's output over every input, channel by channel (axis 1; a 2-D output's features are its channels). */
export interface DatasetLayer {
  node: string;
  op: string;
  tensor: string;
  /** One input's output shape (without the batch axis). */
  shape: number[];
  /** Over each channel's finite values (NaN when it has none). */
  min: Float64Array;
  max: Float64Array;
  mean: Float64Array;
  std: Float64Array;
  /** Fraction of the channel's values that are exactly 0. */
  zeros: Float64Array;
  /** Fraction of inputs on which the channel is 0 everywhere. */
  dead: Float64Array;
  /** For Clip, Relu6 (Clip), Sigmoid, HardSigmoid and Tanh: the bounds, and the fraction of values at one. */
  bounds?: [number, number];
  saturated?: Float64Array;
  nan: Float64Array;
  inf: Float64Array;
  /** `topK` input indices per channel (channel-major), highest mean activation first; -1 past the inputs. */
  top: Int32Array;
  /** The mean activation of each of `top`'s inputs (-Infinity past the inputs). */
  topMean?: Float64Array;
}

export interface DatasetOutput {
  inputs: number;
  batch: number;
  runs: number;
  topK: number;
  layers: DatasetLayer[];
  /** Thumbnails of the inputs in some channel's top-k (4-D inputs of 1 or 3 channels only). */
  thumbnails: Array<{ input: number; thumbnail: InputThumbnail }>;
  provider: Provider;
  timings: { sessionMs: number; runMs: number; statsMs: number };
}

/** Progress: the inputs done of those given. */
export interface DatasetProgress {
  stage: 'load' | 'session' | 'run';
  fraction: number;
  passes?: { done: number; total: number };
}
