/**
 * `POST /api/runs`: an analysis run over plain HTTP, for any language (the Python package first),
 * through the same analysis service as the `analysis:run` event. With `Accept: text/event-stream`
 * it answers with `progress` events, then one `result` or `error` event; a request refused before
 * its job is queued gets the plain JSON error and status either way.
 * @module
 */
import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import type { JobProgress } from '@cnnvis/protocol';
import { toCnnvisError, toErrorBody } from '../errors';
import { isMultipart } from '../http/multipart-parts';
import type { Logger } from '../logger';
import type { RequestContext } from '../request-context';
import { runRequestOf } from './http-run-request';

function sendEvent(res: Response, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Answers a run as described above (dataset-route.ts answers the same way). `start` gets the
 * request context and, for a streamed answer, the job id its progress goes out under.
 */
export async function answerRun<T>(req: Request, res: Response, start: (ctx: RequestContext, jobId?: string) => Promise<T>, logger: Logger, jobId?: unknown): Promise<void> {
  if (!(req.headers.accept ?? '').includes('text/event-stream')) {
    res.status(201).json(await start({}));
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
  let result: T;
  try {
    result = await start({ push }, typeof jobId === 'string' ? jobId : `job_${randomBytes(6).toString('hex')}`);
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
}

/** Serves `POST /` with `analysis.run` (an analysis; an attribution too, see attribution-route.ts). */
export function createRunStartRouter<T>(analysis: { run(payload: unknown, ctx: RequestContext): Promise<T> }, maxPayloadBytes: number, logger: Logger): Router {
  const r = Router({ caseSensitive: true });
  // A multipart body is read part by part (http/multipart-parts.ts); any other is the input's bytes.
  r.post('/', express.raw({ type: (req) => !isMultipart(req), limit: maxPayloadBytes }), async (req, res) => {
    const payload = await runRequestOf(req, maxPayloadBytes);
    await answerRun(req, res, (ctx, jobId) => analysis.run(jobId === undefined ? payload : { ...payload, jobId }, ctx), logger, payload['jobId']);
  });
  return r;
}
