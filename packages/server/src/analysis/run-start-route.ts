/**
 * `POST /api/runs`: an analysis run over plain HTTP, for any language (the
 * Python package first). The request goes to the same analysis service as the
 * `analysis:run` event and answers with the same result.
 *
 * Progress: a request sent with `Accept: text/event-stream` is answered with
 * server-sent events once the job is queued: `progress` events (the
 * `job:progress` payload), then one `result` (201's body) or `error`
 * (`{ code, message }`) event. A request refused before its job is queued
 * (validation, an unknown model, a limit) is answered with the plain JSON
 * error and its status either way. Without that header, the answer comes when
 * the run is stored: 201 and the result.
 * @module
 */
import { randomBytes } from 'node:crypto';
import express, { Router, type Response } from 'express';
import type { JobProgress } from '@cnnvis/protocol';
import { toCnnvisError, toErrorBody } from '../errors';
import type { Logger } from '../logger';
import type { RequestContext } from '../request-context';
import { runRequestOf } from './http-run-request';

function sendEvent(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/** Serves `POST /` with `analysis.run` (an analysis; an attribution too, see attribution-route.ts). */
export function createRunStartRouter<T>(analysis: { run(payload: unknown, ctx: RequestContext): Promise<T> }, maxPayloadBytes: number, logger: Logger): Router {
  const r = Router({ caseSensitive: true });
  r.post('/', express.raw({ type: () => true, limit: maxPayloadBytes }), async (req, res) => {
    const body: unknown = req.body;
    const payload = await runRequestOf(req, body instanceof Uint8Array ? body : new Uint8Array());
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      res.status(201).json(await analysis.run(payload, {}));
      return;
    }
    // The stream opens with the job's first progress, which the service pushes only after the request passed its checks.
    let streaming = false;
    const push = (_event: 'job:progress', p: JobProgress) => {
      if (!streaming) {
        streaming = true;
        res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' }).flushHeaders();
      }
      sendEvent(res, 'progress', p);
    };
    const jobId = typeof payload['jobId'] === 'string' ? payload['jobId'] : `job_${randomBytes(6).toString('hex')}`;
    let result: T;
    try {
      result = await analysis.run({ ...payload, jobId }, { push });
    } catch (err) {
      if (!streaming) throw err;
      const error = toCnnvisError(err);
      if (error.code === 'INTERNAL') logger.error(`POST ${req.baseUrl} failed`, err);
      sendEvent(res, 'error', toErrorBody(error));
      res.end();
      return;
    }
    sendEvent(res, 'result', result);
    res.end();
  });
  return r;
}
