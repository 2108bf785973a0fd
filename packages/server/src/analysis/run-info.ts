/**
 * What a kept run records of its request and its job: step, label, the
 * model's file name, when it ran, the input's shape and thumbnail.
 * @module
 */
import type { AnalyzeRequest } from '@cnnvis/protocol';
import type { AnalyzeOutput } from '@cnnvis/worker/pool';
import type { RunBlobs } from '../store/analysis-store';

/**
 * @example
 * const blobs = { runId, modelId, maps, filters, ...runInfo(req, out) };
 */
export function runInfo(req: AnalyzeRequest, out: AnalyzeOutput): Pick<RunBlobs, 'info' | 'thumbnail'> {
  const info = {
    modelName: req.modelName ?? null,
    step: req.step ?? null,
    label: req.label ?? null,
    createdAt: Date.now(),
    inputShape: out.input?.shape ?? ('shape' in req.input ? [...req.input.shape] : []),
  };
  const thumbnail = out.input?.thumbnail;
  return thumbnail === undefined ? { info } : { info, thumbnail };
}
