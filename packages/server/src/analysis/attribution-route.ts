/**
 * `POST /api/attributions`: an attribution over plain HTTP, the sibling of
 * `POST /api/runs`: the same bodies (raw bytes with the fields in the query,
 * or multipart with a JSON `request` part), the same payload limit, the same
 * server-sent progress with `Accept: text/event-stream`, and the same service
 * as the `attribution:run` event.
 * @module
 */
import type { Router } from 'express';
import type { Logger } from '../logger';
import type { AttributionService } from './attribution-service';
import { createRunStartRouter } from './run-start-route';

/**
 * @example
 * app.use('/api/attributions', createAttributionRouter(attribution, opts.maxPayloadBytes, logger));
 * // POST /api/attributions?modelId=…&method=occlusion&shape=1,3,224,224 with the float32 bytes
 */
export function createAttributionRouter(attribution: Pick<AttributionService, 'run'>, maxPayloadBytes: number, logger: Logger): Router {
  return createRunStartRouter(attribution, maxPayloadBytes, logger);
}
