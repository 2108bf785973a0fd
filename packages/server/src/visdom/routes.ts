/**
 * The Visdom route table: every HTTP endpoint the stock Python client calls, with its plain-text
 * replies. Bodies are JSON text whatever the content type; mistakes get a 4xx whose body is the
 * message (the client returns it as text).
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { readonlyError } from '../access/access-gate';
import { pathOf } from '../access/request-path';
import { badField, toCnnvisError } from '../errors';
import { closeAfterAnswer } from '../http/close-after-answer';
import { onTextBody } from '../http/read-body';
import type { Logger } from '../logger';
import type { WindowService } from '../window-service';
import { parseVisdomBody } from './body';
import { closeWindows, deleteEnv, forkEnv, saveEnvs, winData } from './env-ops';
import { toEnvId, toWinId } from './ids';
import { toCreateRequest } from './pane-content';
import { visdomUpdate } from './update';

type Body = Record<string, unknown>;
type Route = (body: Body, param: string) => Promise<string>;

export interface VisdomRoutesOptions {
  /** '' or a prefix such as `/visdom`. */
  baseUrl: string;
  maxPayloadBytes: number;
  logger: Logger;
  /** Answers `/vis_socket_wrap` bodies. */
  socketWrap: (body: Body) => unknown;
  /** Refuse every route that would change something (`--readonly`). */
  readonly?: boolean;
}

const WRITE_ROUTES = new Set(['/events', '/update', '/close', '/fork_env', '/delete_env']);

/** Whether this call would change the store: its route, or for two routes, its body. */
function writes(route: string, body: Body): boolean {
  if (route.startsWith('/env/')) return body['sid'] === undefined || body['eid'] !== undefined;
  if (route === '/win_data') return body['data'] !== undefined && body['data'] !== null;
  return WRITE_ROUTES.has(route);
}

function routeTable(service: WindowService, socketWrap: (body: Body) => unknown): Map<string, Route> {
  return new Map<string, Route>([
    ['/events', async (b) => (await service.create(toCreateRequest(b))).win],
    ['/update', (b) => visdomUpdate(service, b)],
    ['/close', async (b) => {
      await closeWindows(service, b);
      return '';
    }],
    ['/win_exists', async (b) => {
      const win = toWinId(b['win']);
      return String(win !== undefined && (await service.exists(toEnvId(b['eid']), win)));
    }],
    ['/win_data', (b) => winData(service, b)],
    ['/env_state', async () => JSON.stringify((await service.listEnvs()).map((e) => e.id))],
    // `/env/<eid>`: {eid} creates the env; a browser's {sid} subscription is socket.io's job in cnnvis.
    ['/env/', async (b, param) => {
      if (b['sid'] === undefined || b['eid'] !== undefined) await service.createEnv(toEnvId(b['eid'] ?? param));
      return '';
    }],
    ['/save', (b) => saveEnvs(service, b)],
    ['/fork_env', (b) => forkEnv(service, b)],
    ['/delete_env', (b) => deleteEnv(service, b)],
    ['/vis_socket_wrap', async (b) => JSON.stringify(await socketWrap(b))],
  ]);
}

function reply(res: ServerResponse, status: number, text: string): void {
  // Headers as a flat list: node writes them as they come, without listing an object's keys.
  res.writeHead(status, ['content-type', 'text/plain; charset=utf-8', 'content-length', String(Buffer.byteLength(text))]);
  res.end(text);
}


/** A Visdom route a request path names: what answers it, the route's name and `/env/<eid>`'s parameter (still encoded). */
export interface VisdomMatch {
  route: Route;
  rest: string;
  isEnv: boolean;
}

export interface VisdomRoutes {
  /** The route a POST to `path` (no query) goes to, or undefined. */
  match(path: string): VisdomMatch | undefined;
  /** Express middleware: answers a POST to a Visdom route, passes anything else on. */
  handle: RequestHandler;
}

/** The Visdom routes: matched by path, answered from the body text. */
export function createVisdomRoutes(service: WindowService, opts: VisdomRoutesOptions): VisdomRoutes {
  const table = routeTable(service, opts.socketWrap);
  const envRoute = table.get('/env/') as Route;
  const prefix = `${opts.baseUrl}/`;
  const failure = (err: unknown) => {
    const e = err instanceof URIError ? badField('eid', 'is not a valid URL segment') : toCnnvisError(err);
    if (e.code === 'INTERNAL') opts.logger.error('Visdom route failed', err);
    return { status: e.status, text: e.message };
  };
  const match = (path: string): VisdomMatch | undefined => {
    if (!path.startsWith(prefix)) return undefined;
    const rest = path.slice(opts.baseUrl.length);
    const isEnv = rest.startsWith('/env/');
    const route = rest === '/env/' ? undefined : isEnv ? envRoute : table.get(rest);
    return route === undefined ? undefined : { route, rest, isEnv };
  };
  const answer = async ({ route, rest, isEnv }: VisdomMatch, text: string) => {
    try {
      const param = isEnv ? decodeURIComponent(rest.slice('/env/'.length)) : '';
      const body = parseVisdomBody(text);
      if (opts.readonly === true && writes(rest, body)) throw readonlyError();
      return { status: 200, text: await route(body, param) };
    } catch (e) {
      return failure(e);
    }
  };
  const handle: RequestHandler = (req, res, next) => {
    const m = req.method === 'POST' ? match(pathOf(req.url)) : undefined;
    if (m === undefined) return next();
    onTextBody(req, opts.maxPayloadBytes, (err, text) => {
      if (err !== undefined) {
        if (err.code === 'PAYLOAD_TOO_LARGE') closeAfterAnswer(req, res);
        const r = failure(err);
        if (!res.headersSent && !res.destroyed) reply(res, r.status, r.text);
        return;
      }
      void answer(m, text).then((r) => {
        if (!res.headersSent && !res.destroyed) reply(res, r.status, r.text);
      });
    });
  };
  return { match, handle };
}
