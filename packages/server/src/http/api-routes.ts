/**
 * The HTTP API: the read API tools and tests use, and JSON write routes for scripts without the SDK
 * (the analysis requests too). Same services, same validation, same errors as the socket events.
 * @module
 */
import { Router, type Request } from 'express';
import type { RuntimeStatus, ServerHello } from '@cnnvis/protocol';
import type { AnalysisService } from '../analysis/analysis-service';
import { badField, CnnvisError } from '../errors';
import { encodeStoredImage } from '../images/png-encode';
import type { WindowService } from '../window-service';

/** The JSON body as an object, or BAD_REQUEST: the routes merge path params into it. */
function body(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) {
    throw badField('(body)', 'must be a JSON object');
  }
  return b as Record<string, unknown>;
}

function param(req: Request, name: string): string {
  return String(req.params[name]);
}

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What the API routes answer from. */
export interface ApiRouterDeps {
  service: WindowService;
  analysis: Pick<AnalysisService, 'filters' | 'showGraph'>;
  hello: ServerHello;
  runtime: () => Promise<RuntimeStatus>;
}

export function createApiRouter({ service, analysis, hello, runtime }: ApiRouterDeps): Router {
  const r = Router({ caseSensitive: true });
  r.get('/status', async (_req, res) => {
    res.json({ version: hello.version, limits: hello.limits, uptimeSeconds: Math.round(process.uptime()), ...(await runtime()) });
  });
  const env = (req: Request) => param(req, 'env');
  const win = (req: Request) => ({ env: env(req), win: param(req, 'win') });
  // An update op, or `{ op, orCreate }` to create the window if missing (no op has an `op` key).
  const update = (req: Request) => {
    const b = body(req);
    return { ...('op' in b ? b : { op: b }), ...win(req) };
  };
  const json: Array<[Method, string, (req: Request) => Promise<unknown>]> = [
    ['get', '/envs', () => service.listEnvs()],
    ['get', '/envs/:env', (req) => service.getEnv(env(req))],
    ['delete', '/envs/:env', (req) => service.deleteEnv({ env: env(req) })],
    ['post', '/envs/:env/fork', (req) => service.fork({ ...body(req), from: env(req) })],
    ['put', '/envs/:env/layout', (req) => service.saveLayout({ ...body(req), env: env(req) })],
    ['get', '/envs/:env/windows', (req) => service.listWindows(env(req))],
    ['post', '/envs/:env/windows', (req) => service.create({ ...body(req), env: env(req) })],
    ['get', '/envs/:env/windows/:win', (req) => service.get(win(req))],
    ['patch', '/envs/:env/windows/:win', (req) => service.update(update(req))],
    ['delete', '/envs/:env/windows/:win', (req) => service.close(win(req))],
  ];
  for (const [method, path, answer] of json) {
    // A new env or window is 201 Created.
    const status = method === 'post' ? 201 : 200;
    r[method](path, async (req, res) => {
      res.status(status).json(await answer(req));
    });
  }
  r.get('/envs/:env/windows/:win/images/:idx', async (req, res) => {
    const idx = Number(param(req, 'idx'));
    if (!Number.isInteger(idx) || idx < 0) {
      throw badField('idx', 'must be a non-negative integer');
    }
    const { mime, bytes } = encodeStoredImage(await service.image(param(req, 'env'), param(req, 'win'), idx));
    // The URL carries the window's rev, so what it names never changes.
    res.set('Cache-Control', 'public, max-age=31536000, immutable').type(mime).send(bytes);
  });
  // `model:filters` over HTTP (the upload routes, mounted before the JSON parser, pass it on).
  r.post('/models/:modelId/filters', async (req, res) => {
    res.json(await analysis.filters({ ...body(req), modelId: param(req, 'modelId') }));
  });
  // `model:graph` over HTTP: the model's layer graph in a window, no run.
  r.post('/models/:modelId/graph', async (req, res) => {
    res.json(await analysis.showGraph({ ...body(req), modelId: param(req, 'modelId') }));
  });
  r.use((_req, _res) => {
    throw CnnvisError.notFound('no such API route');
  });
  return r;
}
