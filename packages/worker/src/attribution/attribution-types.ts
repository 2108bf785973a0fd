/** The shapes of an attribution job and its output (plain data and typed arrays). @module */
import type { AttributionRequest, Provider } from '@cnnvis/protocol';
import type { AnalyzeInput, InputThumbnail } from '../analyze/analyze-types';
import type { ProviderRequest } from '../runtime/open-session';

/** `occlusion`: the drop of the target score under a sliding patch; `score-cam`: a conv layer's maps weighted by the score of the input each one masks. */
export type AttributionMethod = 'occlusion' | 'score-cam';

/** Where the model looks: one input, forward passes only; the options are the request's (see the protocol's AttributionRequest). */
export interface AttributionJob
  extends Pick<AttributionRequest, 'preprocess' | 'method' | 'target' | 'layer' | 'patch' | 'stride' | 'fill' | 'batch' | 'maxPasses'> {
  modelPath: string;
  modelId: string;
  input: AnalyzeInput;
  provider: ProviderRequest;
}

/** What an attribution produces. */
export interface AttributionOutput {
  method: AttributionMethod;
  target: number;
  /** The target's score on the unchanged input. */
  score: number;
  /** Perturbed inputs, each one forward pass (the unchanged input's not counted). */
  passes: number;
  /** Session runs they took, `batch` inputs each (the last may hold fewer). */
  runs: number;
  batch: number;
  /** Row-major `[H, W]` over the input's spatial size. */
  heatmap: Float32Array;
  shape: [number, number];
  /** Score-CAM: the layer's tensor, each channel's score (the target's, on the input it masks) and weight (the scores' softmax). */
  layer?: string;
  scores?: Float32Array;
  weights?: Float32Array;
  /** Occlusion's patch, stride and fill as used. */
  patch?: number;
  stride?: number;
  fill?: number;
  provider: Provider;
  timings: { sessionMs: number; runMs: number };
  /** The input as fed, as a picture at its full size, for the overlay (4-D inputs of 1 or 3 channels). */
  picture?: InputThumbnail;
}

/** Progress of an attribution: the forward passes done of those planned. */
export interface AttributionProgress {
  stage: 'load' | 'session' | 'input' | 'run';
  fraction: number;
  passes?: { done: number; total: number };
}
