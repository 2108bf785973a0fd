/**
 * `viz.attribution`'s options and its request.
 * @module
 */
import type { AttributionRequest } from '@cnnvis/protocol';
import { toAnalyzeInput, type FeatureMapsInput } from './feature-maps';
import { readLabels } from './labels';
import type { ModelOptions } from './options';
import { setFields } from './request-common';

/**
 * Options of `viz.attribution`: the request's fields (see AttributionRequestSchema) and `labels`.
 * @example
 * await viz.attribution('resnet18.onnx', 'cat.jpg', {
 *   method: 'occlusion', patch: 32, stride: 16, win: 'where',
 *   preprocess: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
 *   onProgress: (p) => p.passes && console.log(`${p.passes.done}/${p.passes.total} passes`),
 * });
 */
export interface AttributionOptions
  extends ModelOptions,
    Pick<AttributionRequest, 'method' | 'target' | 'layer' | 'patch' | 'stride' | 'fill' | 'batch' | 'maxPasses' | 'preprocess' | 'win'> {
  /** Class names (an array, or a file: a JSON array or one per line), so the panes name the target. */
  labels?: string[] | string;
}

const FIELDS = ['target', 'layer', 'patch', 'stride', 'fill', 'batch', 'maxPasses', 'preprocess', 'win'] as const;

/**
 * Options of `viz.attribution` for a kept run: as {@link AttributionOptions}, less the
 * preprocessing (the run's is used). `env` and `labels` default to the run's.
 */
export type RunAttributionOptions = Omit<AttributionOptions, 'preprocess'>;

/** The request's options (all but the model and input). */
async function optionFields(req: AttributionRequest, opts: AttributionOptions): Promise<AttributionRequest> {
  Object.assign(req, setFields(opts, FIELDS));
  if (opts.labels !== undefined) req.labels = await readLabels(opts.labels);
  return req;
}

/**
 * @example
 * await runAttributionRequest('run_ab12', { method: 'score-cam' }); // { runId: 'run_ab12', method: 'score-cam' }
 */
export function runAttributionRequest(runId: string, opts: RunAttributionOptions): Promise<AttributionRequest> {
  return optionFields({ runId, method: opts.method, ...(opts.env === undefined ? {} : { env: opts.env }) }, opts);
}

/**
 * @example
 * await attributionRequest(modelId, { data, shape: [1, 1, 16, 16] }, { method: 'occlusion' }, 'main');
 */
export async function attributionRequest(modelId: string, input: FeatureMapsInput, opts: AttributionOptions, env: string): Promise<AttributionRequest> {
  return optionFields({ env: opts.env ?? env, modelId, input: await toAnalyzeInput(input), method: opts.method }, opts);
}
