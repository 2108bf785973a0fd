/**
 * Wiring: express + socket.io on one HTTP server, around an injected store.
 * Only the command line reads flags and environment; this takes options.
 * @module
 */
import type { Server as HttpServer } from 'node:http';
import express from 'express';
import { Server as IOServer } from 'socket.io';
import type { ClientToServerEvents, ServerHello, ServerToClientEvents } from '@cnnvis/protocol';
import { createBroadcaster } from './broadcaster';
import { createApiRouter } from './http/api-routes';
import { createErrorHandler } from './http/error-handler';
import { createWebUiRouter, findWebRoot } from './http/web-ui';
import type { Logger } from './logger';
import type { ResolvedServerOptions } from './options';
import { createRequestHandlers } from './socket/request-handlers';
import { attachSdkChannel } from './socket/sdk-channel';
import { registerSocketHandlers } from './socket/socket-handlers';
import type { WindowStore } from './store/window-store';
import { VERSION } from './version';
import { WindowService } from './window-service';

export interface AppDeps {
  store: WindowStore;
  logger: Logger;
}

export function createApp(httpServer: HttpServer, deps: AppDeps, opts: ResolvedServerOptions) {
  const hello: ServerHello = { version: VERSION, limits: { maxPayloadBytes: opts.maxPayloadBytes } };
  const io = new IOServer<ClientToServerEvents, ServerToClientEvents>(httpServer, {
    maxHttpBufferSize: opts.maxPayloadBytes,
    serveClient: false,
    // The SDK channel shares the HTTP server's upgrades; socket.io must leave them alone.
    destroyUpgrade: false,
  });
  const service = new WindowService(deps.store, createBroadcaster(io));
  const handlers = createRequestHandlers(service);
  registerSocketHandlers(io, handlers, service, hello, deps.logger);
  const sdkChannel = attachSdkChannel(httpServer, handlers, hello, { maxPayloadBytes: opts.maxPayloadBytes, logger: deps.logger });

  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });
  // Parse JSON whatever the content type says: scripts often send none.
  app.use('/api', express.json({ limit: opts.maxPayloadBytes, type: () => true }));
  app.use('/api', createApiRouter(service, hello));
  app.use(createWebUiRouter(opts.webRoot ?? findWebRoot()));
  app.use(createErrorHandler(deps.logger, opts.maxPayloadBytes));
  httpServer.on('request', app);
  return { io, sdkChannel, service };
}
