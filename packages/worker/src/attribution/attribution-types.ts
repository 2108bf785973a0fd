/**
 * The shapes of an attribution job and its output, as the pool and the
 * server exchange them (plain data, typed arrays included).
 * @module
 */
import type { Preprocess, Provider } from '@cnnvis/protocol';
import type { AnalyzeInput, InputThumbnail } from '../analyze/analyze-types';
import type { ProviderRequest } from '../runtime/open-session';

/** `occlusion`: the drop of the target score under a sliding patch; `score-cam`: a conv layer's maps weighted by the score of the input each one masks. */
export type AttributionMethod = 'occlusion' | 'score-cam';

/** Where the model looks: one input, forward passes only. */
export interface AttributionJob {
  modelPath: string;
  modelId: string;
  input: AnalyzeInput;
  preprocess?: Preprocess;
  method: AttributionMethod;
  /** The output index whose score is explained. @default the top-1 class of the input */
  target?: number;
  /**
   * Score-CAM's layer: a node id or tensor name, or part of one (the last match wins).
   * @default the last conv with a spatial map, taken past the activations and adds that follow it alone (a ResNet's last block output)
   */
  layer?: string;
  /** Occlusion's square patch side, in input pixels. @default about a seventh of the shorter side */
  patch?: number;
  /** Occlusion's step between patches. @default half the patch */
  stride?: number;
  /** Occlusion's fill value (in the model's input units, so 0 is the mean of a normalised input). @default 0 */
  fill?: number;
  /** Inputs per forward pass where the model's batch dimension is dynamic (fixed ones run one at a time). @default 16 */
  batch?: number;
  /** The job fails before running when it would need more passes than this. @default 4096 */
  maxPasses?: number;
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
