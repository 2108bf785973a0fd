/**
 * `POST /api/dataset-stats`: statistics of a model's layers over many inputs (`dataset:run`) over
 * plain HTTP, for any language. The multipart body's inputs are spooled to disk as they arrive
 * (dataset-parts.ts) and the job reads them a batch at a time, so neither the server nor the worker
 * holds more than a batch. It answers as `POST /api/runs` does (run-start-route.ts).
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
