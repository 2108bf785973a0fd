/**
 * `/api/models`: streaming upload (`PUT /:modelId`, raw ONNX bytes), existence
 * (`HEAD /:modelId`) and the parsed layer graph (`GET /:modelId/graph`).
 * Mounted before the JSON body parser, which must never see a model.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import type { ModelService } from './model-service';

/** Response header of HEAD/PUT naming the upload limit, so a client can refuse a big model before sending it. */
export const MAX_MODEL_BYTES_HEADER = 'cnnvis-max-model-bytes';

/** How long an unread request body is drained after an early answer before the connection is cut. */
const DRAIN_GRACE_MS = 2000;

/**
 * Answered before the body was read (too large, or already stored): close the
 * connection after the answer. Draining for a moment first lets the client,
 * still sending, read the answer instead of a reset.
 */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  res.setHeader('Connection', 'close');
  req.resume();
  res.once('finish', () => {
    const timer = setTimeout(() => req.socket.destroy(), DRAIN_GRACE_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
  });
}

export function createModelRouter(models: ModelService): Router {
  const r = Router();
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
