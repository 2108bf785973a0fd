/**
 * Wiring: express + socket.io on one HTTP server, around an injected store.
 * Only the command line reads flags and environment; this takes options.
 * @module
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import express from 'express';
import { Server as IOServer } from 'socket.io';
import type { ClientToServerEvents, ServerHello, ServerToClientEvents } from '@cnnvis/protocol';
import { createAccessGate, guardWrites } from './access/access-gate';
import { rejectUpgrade, sendDenied } from './access/deny-response';
import { createLoginRoutes, isLoginRoute, isVisdomLogin } from './access/login-routes';
import { pathOf } from './access/request-path';
import { AnalysisService } from './analysis/analysis-service';
import { AttributionService } from './analysis/attribution-service';
import { createDatasetRouter } from './analysis/dataset-route';
import { DatasetService } from './analysis/dataset-service';
import { createJobQueue, createJobRouter } from './analysis/job-queue';
import { createJobRunner, onnxRuntimeVersion } from './analysis/job-runner';
import { createRunRouter } from './analysis/run-routes';
import { createRunStartRouter } from './analysis/run-start-route';
import { createBroadcaster } from './broadcaster';
import { createApiRouter } from './http/api-routes';
import { createErrorHandler } from './http/error-handler';
import { closeAfterAnswer } from './http/close-after-answer';
import { refuseDeclaredOver } from './http/read-body';
import { inConnectionOrder } from './http/in-connection-order';
import { createNotFoundHandler, refuseUnclaimedUpgrades } from './http/not-found';
import { createWebUiRouter, findWebRoot } from './http/web-ui';
import type { Logger } from './logger';
import { createModelFiles } from './models/model-files';
import { createModelRouter } from './models/model-routes';
import { ModelService } from './models/model-service';
import type { ResolvedServerOptions } from './options';
import { createRequestHandlers } from './socket/request-handlers';
import type { RedisCluster } from './socket/redis-cluster';
import { registerSocketHandlers } from './socket/socket-handlers';
import type { AnalysisStore } from './store/analysis-store';
import type { WindowStore } from './store/window-store';
import { VERSION } from './version';
import { attachVisdom } from './visdom';
import { WindowService } from './window-service';

/** Where socket.io listens (its default). */
const SOCKET_IO_PATH = '/socket.io/';

/** Whether a request is socket.io's: engine.io matches its path by this exact prefix, case and all. */
function isSocketIo(req: IncomingMessage): boolean {
  return req.url?.startsWith(SOCKET_IO_PATH) === true;
}

export interface AppDeps {
  store: WindowStore & AnalysisStore;
  logger: Logger;
  /** Redis shared with other servers (`--redis-url`); none: this server alone. */
  cluster?: RedisCluster;
}

export function createApp(httpServer: HttpServer, deps: AppDeps, opts: ResolvedServerOptions) {
  const hello: ServerHello = { version: VERSION, limits: { maxPayloadBytes: opts.maxPayloadBytes }, readonly: opts.readonly };
  const gate = createAccessGate(opts);
  const deny = (req: IncomingMessage) => gate.deny(req, { guardsWrites: isSocketIo(req) });
  const io = new IOServer<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    maxHttpBufferSize: opts.maxPayloadBytes,
    // Browsers present the login cookie, Node clients an Authorization header, on every transport request.
    allowRequest: (req, done) => {
      const denied = deny(req);
      // engine.io answers a refused upgrade 400; the SDK reads the status (401: a token is wanted) and message.
      if (denied !== undefined && req.headers.upgrade !== undefined) rejectUpgrade(req.socket, denied);
      done(denied?.message, denied === undefined);
    },
    serveClient: false,
    // Visdom's /vis_socket shares the HTTP server's upgrades; socket.io must leave them alone.
    destroyUpgrade: false,
    // Across servers, a browser that reconnects (to any of them) gets the updates it missed from the Redis stream.
    // Alone, a reconnecting browser resyncs from a snapshot instead: no copy of every broadcast is kept in memory.
    ...(deps.cluster && { adapter: deps.cluster.adapter, connectionStateRecovery: {} }),
  });
  deps.cluster?.watch(io);
  const broadcast = createBroadcaster(io, { maxClientBufferBytes: opts.maxClientBufferBytes, clustered: deps.cluster !== undefined });
  const service = new WindowService(deps.store, broadcast, opts);
  const files = createModelFiles(opts.dataDir);
  const queue = opts.redisUrl === undefined ? undefined : createJobQueue({ redisUrl: opts.redisUrl, queue: opts.jobQueue, jobTimeoutMs: opts.jobTimeoutMs, maxQueuedJobs: opts.maxQueuedJobs, maxMapsBytes: opts.maxModelBytes });
  const jobs = createJobRunner(opts, deps.logger, queue);
  // Workers parse uploads: the server's process never holds a model's bytes, nor loads ONNX Runtime.
  const parse = (path: string, modelId: string) => jobs.parse(path, modelId);
  const models = new ModelService({ store: deps.store, files, parse, maxModelBytes: opts.maxModelBytes, maxConcurrentUploads: opts.maxConcurrentUploads });
  const analysis = new AnalysisService({ models, windows: service, jobs, broadcast, provider: opts.provider, runs: deps.store });
  const attribution = new AttributionService({ models, windows: service, jobs, broadcast, provider: opts.provider, runs: deps.store });
  const dataset = new DatasetService({ models, windows: service, jobs, broadcast, provider: opts.provider });
  const visdom = attachVisdom(httpServer, service, {
    baseUrl: opts.baseUrl,
    maxPayloadBytes: opts.maxPayloadBytes,
    logger: deps.logger,
    readonly: opts.readonly,
    deny,
    socketLimits: opts,
  });
  /** The routes that tell reads from writes themselves, by body or event (see access-gate.ts). */
  const guardsWrites = (req: IncomingMessage) => isLoginRoute(req, opts.baseUrl) || visdom.routes.match(pathOf(req.url)) !== undefined;
  const handlers = guardWrites(createRequestHandlers(service, analysis, visdom.hub, { attribution, dataset }), opts.readonly);
  registerSocketHandlers(io, { handlers, service, hello, logger: deps.logger, maxMessageRate: opts.maxMessageRate, maxClientBufferBytes: opts.maxClientBufferBytes });
  const login = createLoginRoutes({ token: opts.token, baseUrl: opts.baseUrl, throttle: gate.throttle });

  // One pipeline for every request but socket.io's: the gate, then the routes, all case-sensitive.
  const app = express();
  app.disable('x-powered-by');
  app.set('case sensitive routing', true);
  app.use((req, res, next) => {
    const denied = gate.deny(req, { visdomLogin: isVisdomLogin(req, opts.baseUrl), guardsWrites: guardsWrites(req) });
    if (denied === undefined) return next();
    closeAfterAnswer(req, res);
    sendDenied(req, res, denied);
  });
  // The stock client's appends come first: they are most of the traffic (their body reader refuses an oversized body at its head).
  app.use(visdom.routes.handle);
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  // Models stream to disk under their own limit: mounted before the payload limit and the JSON parser.
  app.use('/api/models', createModelRouter(models));
  // Its inputs stream to disk under their own limits, like a model's bytes.
  app.use('/api/dataset-stats', createDatasetRouter({ dataset, models, windows: service, limits: opts, logger: deps.logger }));
  // Remote workers' results: a run's maps may be larger than any request.
  if (queue !== undefined) app.use('/api/jobs', createJobRouter(queue, opts.maxPayloadBytes));
  app.use(refuseDeclaredOver(opts.maxPayloadBytes));
  app.use((req, res, next) => {
    if (!login(req, res)) next();
  });
  app.use('/api/runs', createRunRouter(deps.store, (p) => analysis.compare(p)));
  // Its body is the input's bytes (raw or multipart), never JSON: mounted before the JSON parser.
  app.use('/api/runs', createRunStartRouter(analysis, opts.maxPayloadBytes, deps.logger));
  // `POST /api/attributions` takes the same bodies and answers the same way.
  app.use('/api/attributions', createRunStartRouter(attribution, opts.maxPayloadBytes, deps.logger));
  // Parse JSON whatever the content type says: scripts often send none.
  app.use('/api', express.json({ limit: opts.maxPayloadBytes, type: () => true }));
  const runtime = async () => ({ onnxruntime: onnxRuntimeVersion(), providers: jobs.providers(), ...(queue === undefined ? {} : { queue: await queue.status() }) });
  app.use('/api', createApiRouter({ service, analysis, hello, runtime }));
  app.use(createWebUiRouter(opts.webRoot ?? findWebRoot()));
  app.use(createNotFoundHandler(opts.baseUrl));
  app.use(createErrorHandler(deps.logger, opts.maxPayloadBytes));
  refuseUnclaimedUpgrades(httpServer, (path, req) => path === visdom.socketPath || isSocketIo(req));
  // socket.io's own listener (added first) answers its path, behind allowRequest above.
  const handle = inConnectionOrder((req, res) => void app(req, res));
  httpServer.on('request', (req, res) => {
    if (!isSocketIo(req)) handle(req, res);
  });
  /** Stop the workers and remove temporary model files. */
  const dispose = async () => {
    await jobs.close();
    await queue?.close();
    files.dispose();
  };
  return { io, visdom, service, dispose };
}
