/**
 * `/api/models`: streaming upload (`PUT /:modelId`, raw ONNX bytes), existence (`HEAD /:modelId`),
 * the parsed layer graph (`GET /:modelId/graph`) and the model's bytes (`GET /:modelId/file`, for
 * remote workers).
 * @module
 */
import { Router } from 'express';
import { MAX_MODEL_BYTES_HEADER } from '@cnnvis/protocol';
import { closeAfterAnswer } from '../http/close-after-answer';
import type { ModelService } from './model-service';

export function createModelRouter(models: ModelService): Router {
  const r = Router({ caseSensitive: true });
  r.use((_req, res, next) => {
    res.setHeader(MAX_MODEL_BYTES_HEADER, String(models.maxModelBytes));
    next();
  });
  r.head('/:modelId', async (req, res) => {
    res.status((await models.find(req.params['modelId'])) === undefined ? 404 : 200).end();
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
  r.get('/:modelId/graph', async (req, res) => {
    res.json(await models.graph(req.params['modelId']));
  });
  // The model's bytes, for remote workers: they fetch a model they have not cached by its hash.
  r.get('/:modelId/file', async (req, res, next) => {
    const id = (await models.get(req.params['modelId'])).id;
    res.type('application/octet-stream').sendFile(models.files.pathOf(id), { dotfiles: 'allow' }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  });
  return r;
}
