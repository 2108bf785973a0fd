/**
 * `viz.attribution`'s options and its request, built with no connection.
 * @module
 */
import type { AttributionMethodName, AttributionRequest, Preprocess } from '@cnnvis/protocol';
import { toAnalyzeInput, type FeatureMapsInput } from './feature-maps';
import { readLabels } from './labels';
import type { ModelOptions } from './options';

/**
 * Options of `viz.attribution`.
 * @example
 * await viz.attribution('resnet18.onnx', 'cat.jpg', {
 *   method: 'occlusion', patch: 32, stride: 16, win: 'where',
 *   preprocess: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
 *   onProgress: (p) => p.passes && console.log(`${p.passes.done}/${p.passes.total} passes`),
 * });
 */
export interface AttributionOptions extends ModelOptions {
  /** `occlusion`: the target score's drop under a sliding patch; `score-cam`: a conv layer's maps weighted by the scores of the inputs they mask. */
  method: AttributionMethodName;
  /** The output index explained. @default the input's top-1 class */
  target?: number;
  /** Score-CAM's layer: a node id or tensor name, or part of one. @default the last conv with a spatial map, past its activation (and a residual add) */
  layer?: string;
  /** Occlusion's square patch, in input pixels. @default a seventh of the shorter side (32 at 224²) */
  patch?: number;
  /** Occlusion's step. @default half the patch */
  stride?: number;
  /** Occlusion's fill value, in the model's input units. @default 0 */
  fill?: number;
  /** Inputs per forward pass where the model's batch dimension is dynamic. @default 16 */
  batch?: number;
  /** Refuse a job that would run more perturbed inputs than this. @default 4096 */
  maxPasses?: number;
  /** Class names (an array, or a file: a JSON array or one per line), so the panes name the target. */
  labels?: string[] | string;
  /** How an image input becomes the model's input tensor. */
  preprocess?: Preprocess;
  /** The image pane (input, overlay, heatmap); the heatmap's values go to `<win>-heatmap`. @default 'attribution' */
  win?: string;
}

const FIELDS = ['target', 'layer', 'patch', 'stride', 'fill', 'batch', 'maxPasses', 'preprocess', 'win'] as const;

/**
 * @example
 * await attributionRequest(modelId, { data, shape: [1, 1, 16, 16] }, { method: 'occlusion' }, 'main');
 */
export async function attributionRequest(modelId: string, input: FeatureMapsInput, opts: AttributionOptions, env: string): Promise<AttributionRequest> {
  const req: AttributionRequest = { env: opts.env ?? env, modelId, input: await toAnalyzeInput(input), method: opts.method };
  for (const key of FIELDS) if (opts[key] !== undefined) Object.assign(req, { [key]: opts[key] });
  if (opts.labels !== undefined) req.labels = await readLabels(opts.labels);
  return req;
}
