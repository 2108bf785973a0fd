/**
 * `/api/models`: streaming upload (`PUT /:modelId`, raw ONNX bytes), existence
 * (`HEAD /:modelId`) and the parsed layer graph (`GET /:modelId/graph`).
 * Mounted before the JSON body parser, which must never see a model.
 * @module
 */
import { Router } from 'express';
import { closeAfterAnswer } from '../http/close-after-answer';
import type { ModelService } from './model-service';

/** Response header of HEAD/PUT naming the upload limit, so a client can refuse a big model before sending it. */
export const MAX_MODEL_BYTES_HEADER = 'cnnvis-max-model-bytes';

export function createModelRouter(models: ModelService): Router {
  const r = Router({ caseSensitive: true });
  r.use((_req, res, next) => {
    res.setHeader(MAX_MODEL_BYTES_HEADER, String(models.maxModelBytes));
    next();
  });
  r.head('/:modelId', (req, res) => {
    res.status(models.find(req.params['modelId']) === undefined ? 404 : 200).end();
  });
  r.put('/:modelId', async (req, res) => {
    try {
      const { status, reply } = await models.upload(req.params['modelId'], req);
      closeAfterAnswer(req, res);
      res.status(status).json(reply);
    } catch (err) {
      closeAfterAnswer(req, res);
      throw err;
    }
  });
  r.get('/:modelId/graph', (req, res) => {
    res.json(models.graph(req.params['modelId']));
  });
  return r;
}
