/**
 * The Visdom route table: every HTTP endpoint the stock Python client calls,
 * with its plain-text replies. Bodies are JSON text whatever the content type;
 * mistakes get a 4xx whose body is the message (the client returns it as text).
 * @module
 */
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { toCnnvisError } from '../errors';
import type { Logger } from '../logger';
import type { WindowService } from '../window-service';
import { parseVisdomBody } from './body';
import { closeWindows, createEnv, deleteEnv, forkEnv, saveEnvs, winData, winExists } from './env-ops';
import { toEnvId, toWinId } from './ids';
import { toCreateRequest } from './pane-content';
import { createWindow, visdomUpdate } from './update';
import { UpdateHints } from './update-hints';

type Body = Record<string, unknown>;

export interface VisdomRouterOptions {
  maxPayloadBytes: number;
  logger: Logger;
  /** Answers `/vis_socket_wrap` bodies. */
  socketWrap: (body: Body) => unknown;
}

export function createVisdomRouter(service: WindowService, opts: VisdomRouterOptions): Router {
  const r = Router();
  const hints = new UpdateHints();
  r.use(express.text({ type: () => true, limit: opts.maxPayloadBytes }));
  const post = (path: string, fn: (body: Body, req: Request) => string) => {
    r.post(path, (req: Request, res: Response) => {
      res.type('text/plain').send(fn(parseVisdomBody(req.body), req));
    });
  };
  post('/events', (b) => createWindow(service, toCreateRequest(b), hints));
  post('/update', (b) => visdomUpdate(service, b, hints));
  post('/close', (b) => {
    closeWindows(service, b, (env, win) => hints.forget(env, win));
    return '';
  });
  post('/win_exists', (b) => {
    const win = toWinId(b['win']);
    return String(win !== undefined && winExists(service, toEnvId(b['eid']), win));
  });
  post('/win_data', (b) => {
    if (b['data'] !== undefined && b['data'] !== null) hints.forgetEnv(toEnvId(b['eid']));
    return winData(service, b);
  });
  post('/env_state', () => JSON.stringify(service.listEnvs().map((e) => e.id)));
  post('/env/:eid', (b, req) => {
    // A browser's {sid} subscription is socket.io's job in cnnvis; only {eid} creates.
    const env = toEnvId(b['eid'] ?? (b['sid'] === undefined ? String(req.params['eid']) : undefined));
    if (b['sid'] === undefined || b['eid'] !== undefined) createEnv(service, env);
    return '';
  });
  post('/save', (b) => saveEnvs(service, b));
  post('/fork_env', (b) => forkEnv(service, b));
  post('/delete_env', (b) => {
    hints.forgetEnv(toEnvId(b['eid']));
    return deleteEnv(service, b);
  });
  post('/vis_socket_wrap', (b) => JSON.stringify(opts.socketWrap(b)));
  r.use(errorAsText(opts.logger, opts.maxPayloadBytes));
  return r;
}

/** Errors as `status + message text`: the stock client shows the text; internals never leave. */
function errorAsText(logger: Logger, limit: number): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
    let status: number;
    let message: string;
    if (type === 'entity.too.large') [status, message] = [413, `body: larger than the limit of ${limit} bytes`];
    else if (typeof type === 'string' && type !== 'entity.parse.failed') [status, message] = [400, `body: ${type}`];
    else {
      const e = toCnnvisError(err);
      if (e.code === 'INTERNAL') logger.error('Visdom route failed', err);
      [status, message] = [e.status, e.message];
    }
    if (!res.headersSent) res.status(status).type('text/plain').send(message);
  };
}
