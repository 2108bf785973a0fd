/**
 * Wiring: express + socket.io on one HTTP server, around an injected store.
 * Only the command line reads flags and environment; this takes options.
 * @module
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import express from 'express';
import { Server as IOServer } from 'socket.io';
import type { ClientToServerEvents, ServerHello, ServerToClientEvents } from '@cnnvis/protocol';
import { parseModel } from '@cnnvis/worker';
import { createAccessGate } from './access/access-gate';
import { sendDenied } from './access/deny-response';
import { createLoginRoutes, isVisdomLogin } from './access/login-routes';
import { pathOf } from './access/request-path';
import { guardWrites } from './access/readonly-events';
import { AnalysisService } from './analysis/analysis-service';
import { createJobRunner } from './analysis/job-runner';
import { createRunRouter } from './analysis/run-routes';
import { onnxRuntimeVersion } from './analysis/runtime-version';
import { createBroadcaster } from './broadcaster';
import { createApiRouter } from './http/api-routes';
import { createErrorHandler } from './http/error-handler';
import { serveLeanPosts } from './http/lean-posts';
import { createNotFoundHandler } from './http/not-found';
import { createWebUiRouter, findWebRoot } from './http/web-ui';
import type { Logger } from './logger';
import { createModelFiles } from './models/model-files';
import { createModelRouter } from './models/model-routes';
import { ModelService } from './models/model-service';
import type { ResolvedServerOptions } from './options';
import { createRequestHandlers } from './socket/request-handlers';
import { attachSdkChannel } from './socket/sdk-channel';
import { registerSocketHandlers } from './socket/socket-handlers';
import type { AnalysisStore } from './store/analysis-store';
import type { WindowStore } from './store/window-store';
import { VERSION } from './version';
import { attachVisdom } from './visdom';
import { WindowService } from './window-service';

/** Where socket.io listens (its default). */
const SOCKET_IO_PATH = '/socket.io/';

/** Bodies the lean path reads whole into memory at most; bigger ones stream through node:http. */
const LEAN_MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  store: WindowStore & AnalysisStore;
  logger: Logger;
}

export function createApp(httpServer: HttpServer, deps: AppDeps, opts: ResolvedServerOptions) {
  const hello: ServerHello = { version: VERSION, limits: { maxPayloadBytes: opts.maxPayloadBytes }, readonly: opts.readonly };
  const gate = createAccessGate(opts);
  const deny = (req: IncomingMessage) => gate.deny(req);
  const io = new IOServer<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    maxHttpBufferSize: opts.maxPayloadBytes,
    // Browsers present the login cookie, Node clients an Authorization header, on every transport request.
    allowRequest: (req, done) => {
      const denied = deny(req);
      done(denied?.message, denied === undefined);
    },
    serveClient: false,
    // The SDK channel shares the HTTP server's upgrades; socket.io must leave them alone.
    destroyUpgrade: false,
  });
  const broadcast = createBroadcaster(io, opts);
  const service = new WindowService(deps.store, broadcast, opts);
  const files = createModelFiles(opts.dataDir);
  const models = new ModelService(deps.store, files, parseModel, opts.maxModelBytes);
  const jobs = createJobRunner(opts, deps.logger);
  const analysis = new AnalysisService({ models, windows: service, jobs, broadcast, provider: opts.provider, runs: deps.store });
  const visdom = attachVisdom(httpServer, service, {
    baseUrl: opts.baseUrl,
    maxPayloadBytes: opts.maxPayloadBytes,
    logger: deps.logger,
    readonly: opts.readonly,
    deny,
    socketLimits: opts,
  });
  const handlers = guardWrites(createRequestHandlers(service, analysis, visdom.hub), opts.readonly);
  registerSocketHandlers(io, handlers, service, hello, deps.logger, opts.maxMessageRate);
  const sdkChannel = attachSdkChannel(httpServer, handlers, hello, { maxPayloadBytes: opts.maxPayloadBytes, logger: deps.logger, deny, maxMessageRate: opts.maxMessageRate });
  const login = createLoginRoutes({ token: opts.token, baseUrl: opts.baseUrl });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  // Models stream to disk: mounted before the JSON parser, which would read them into memory.
  app.use('/api/models', createModelRouter(models));
  app.use('/api/runs', createRunRouter(deps.store));
  // Parse JSON whatever the content type says: scripts often send none.
  app.use('/api', express.json({ limit: opts.maxPayloadBytes, type: () => true }));
  const runtime = () => ({ onnxruntime: onnxRuntimeVersion(), providers: jobs.providers() });
  app.use('/api', createApiRouter(service, hello, runtime));
  app.use(createWebUiRouter(opts.webRoot ?? findWebRoot()));
  app.use(createNotFoundHandler(opts.baseUrl));
  app.use(createErrorHandler(deps.logger, opts.maxPayloadBytes));
  // Access first; then Visdom's endpoints (/events, /update, …) for the stock Python client, under --base-url.
  httpServer.on('request', (req, res) => {
    // socket.io's own listener (added first) answers its path, behind allowRequest above.
    if (req.url?.startsWith(SOCKET_IO_PATH) === true) return;
    const denied = gate.deny(req, { visdomLogin: isVisdomLogin(req, opts.baseUrl) });
    if (denied !== undefined) return sendDenied(req, res, denied);
    if (login(req, res) || visdom.handle(req, res)) return;
    void app(req, res);
  });
  // The stock Visdom client's kept-alive POSTs are answered ahead of node:http's request machinery; anything else goes on above.
  // A route first (cheap, and other POSTs then pass the gate once, in node:http); a Visdom route is never the login path.
  const lean = serveLeanPosts(httpServer, (head) => {
    const m = visdom.routes.match(pathOf(head.url));
    if (m === undefined || gate.deny(head) !== undefined) return undefined;
    return (body) => visdom.routes.answer(m, body.toString('utf8'));
  }, { maxBodyBytes: Math.min(opts.maxPayloadBytes, LEAN_MAX_BODY_BYTES), keepAliveMs: httpServer.keepAliveTimeout });
  /** Stop the workers and remove temporary model files. */
  const dispose = async () => {
    await jobs.close();
    files.dispose();
  };
  return { io, sdkChannel, visdom, lean, service, dispose };
}
