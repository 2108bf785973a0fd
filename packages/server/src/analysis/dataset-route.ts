/**
 * `POST /api/dataset-stats`: statistics of a model's layers over many inputs
 * (`dataset:run`) over plain HTTP, for any language. The body is multipart:
 * a `request` part (the dataset request's JSON without `inputs`, plus
 * `input: { dtype: 'float32', shape }` when the inputs are tensors of that
 * shape), then one `input` part per input (a PNG/JPEG file, or a tensor's
 * float32 bytes). Inputs are spooled to disk as they arrive (see
 * dataset-parts.ts) and the job reads them a batch at a time, so neither the
 * server nor the worker holds more than a batch. The answer is `POST /api/runs`'
 * (run-start-route.ts): 201 and the result, or server-sent progress.
 *
 * Limits: one input ≤ `--max-payload`, all inputs ≤ `--max-model-size`,
 * 100,000 inputs, images within `--max-image-pixels` (413 beyond); spools
 * received at once ≤ `--max-concurrent-uploads` (503 beyond).
 * @module
 */
import { rm } from 'node:fs/promises';
import { Router } from 'express';
import { CnnvisError } from '../errors';
import { drainAfterAnswer } from '../http/multipart-parts';
import type { Logger } from '../logger';
import type { RequestContext } from '../request-context';
import type { ModelService } from '../models/model-service';
import type { WindowService } from '../window-service';
import { readDatasetParts } from './dataset-parts';
import type { DatasetService } from './dataset-service';
import { answerRun } from './run-start-route';

export interface DatasetRouteDeps {
  dataset: Pick<DatasetService, 'runOn'>;
  models: Pick<ModelService, 'get' | 'files'>;
  windows: Pick<WindowService, 'checkImageSize'>;
  limits: { maxPayloadBytes: number; maxModelBytes: number; maxConcurrentUploads: number };
  logger: Logger;
}

/**
 * @example
 * app.use('/api/dataset-stats', createDatasetRouter({ dataset, models, windows: service, limits: opts, logger }));
 * // curl -F request='{"modelId":"…"}' -F input=@a.png -F input=@b.png …/api/dataset-stats
 */
export function createDatasetRouter(deps: DatasetRouteDeps): Router {
  const r = Router({ caseSensitive: true });
  let spooling = 0;
  r.post('/', async (req, res) => {
    if (spooling >= deps.limits.maxConcurrentUploads) {
      drainAfterAnswer(req, deps.limits.maxModelBytes);
      throw new CnnvisError({ code: 'UNAVAILABLE', message: `${spooling} dataset uploads are in progress, the most at once (see --max-concurrent-uploads); try again shortly` });
    }
    spooling++;
    const file = deps.models.files.tempPath();
    try {
      const { request, inputs } = await readDatasetParts(req, file, {
        maxInputBytes: deps.limits.maxPayloadBytes,
        maxTotalBytes: deps.limits.maxModelBytes,
        checkImageSize: (size, path) => deps.windows.checkImageSize(size, path),
        checkModel: (id) => deps.models.get(id),
      });
      // The spool goes before the answer, so a client that has its answer finds nothing left behind.
      const run = (ctx: RequestContext, jobId?: string) =>
        deps.dataset.runOn(jobId === undefined ? request : { ...request, jobId }, inputs, ctx).finally(() => rm(file, { force: true }));
      await answerRun(req, res, run, deps.logger, request.jobId);
    } finally {
      spooling--;
      await rm(file, { force: true });
    }
  });
  return r;
}
